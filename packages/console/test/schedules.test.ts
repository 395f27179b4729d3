import { defineTask } from "@zart/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable } from "./support/browser.js";
import { BROWSER_TEST_MS, type ConsoleHarness, startConsoleHarness } from "./support/console-harness.js";

/** Each sets `window.pwned` if the console ever treats it as markup. */
const SCRIPT = "<script>window.pwned = 'script'</script>";
const IMG = `<img src="x" onerror="window.pwned = 'img'">`;

/** A task whose very name is markup, for the schedule that starts it. */
const markupTask = defineTask({
  name: `task ${SCRIPT}`,
  async run() {
    return null;
  },
});

describe.runIf(browserAvailable)("console: schedules", { timeout: BROWSER_TEST_MS }, () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await startConsoleHarness({ tasks: [markupTask] });
  });
  afterAll(() => harness?.close());

  it("lists a schedule, pauses, resumes, triggers and deletes it, each confirmed in a dialog", async () => {
    // Noon in Paris: the harness's manual clock (midnight UTC) never reaches a fire by itself.
    await harness.durable.schedules.create({
      scheduleId: "nightly",
      task: "quick",
      cron: "0 12 * * *",
      timezone: "Europe/Paris",
      data: { n: 1 },
      overlap: "buffer-one",
      catchup: "latest",
      catchupWindow: "6h",
    });
    const page = await harness.open("#/");
    await page.getByRole("link", { name: "Schedules" }).click();
    const row = page.locator("table.schedules tbody tr", { hasText: "nightly" });
    await row.waitFor();
    const cells = await row.locator("td").allTextContents();
    expect(cells.slice(0, 5)).toEqual(["nightly", "quick", "0 12 * * *", "Europe/Paris", "active"]);
    expect(cells[6]).toBe("none yet");
    expect(cells.slice(7, 9)).toEqual(["buffer-one", "latest within 6 h"]);
    const state = row.locator("td.schedule-state");

    await row.getByRole("button", { name: "Pause…" }).click();
    await page
      .getByRole("dialog", { name: "Pause this schedule?" })
      .getByRole("button", { name: "Yes, pause it" })
      .click();
    await page.getByRole("status").filter({ hasText: "Paused nightly." }).waitFor();
    await state.filter({ hasText: "paused" }).waitFor();
    expect((await harness.durable.schedules.get("nightly")).paused).toBe(true);

    await row.getByRole("button", { name: "Resume…" }).click();
    await page
      .getByRole("dialog", { name: "Resume this schedule?" })
      .getByRole("button", { name: "Yes, resume it" })
      .click();
    await page.getByRole("status").filter({ hasText: "Resumed nightly." }).waitFor();
    await state.filter({ hasText: "active" }).waitFor();
    expect((await harness.durable.schedules.get("nightly")).paused).toBe(false);

    await row.getByRole("button", { name: "Trigger now…" }).click();
    await page
      .getByRole("dialog", { name: "Start an execution now?" })
      .getByRole("button", { name: "Yes, start it" })
      .click();
    await page.getByRole("status").filter({ hasText: "Started nightly@trigger-" }).waitFor();
    const started = await harness.durable.listExecutions({ taskName: "quick" });
    expect(started.map((execution) => execution.executionId)).toEqual([
      expect.stringMatching(/^nightly@trigger-/),
    ]);
    const executionId = started[0]?.executionId ?? "";
    await harness.settle(executionId, "completed");
    await row.getByRole("link", { name: executionId }).waitFor();

    await row.getByRole("button", { name: "Delete…" }).click();
    await page
      .getByRole("dialog", { name: "Delete this schedule?" })
      .getByRole("button", { name: "Yes, delete it" })
      .click();
    await page.getByRole("status").filter({ hasText: "Deleted nightly." }).waitFor();
    await page.getByText("No schedule exists.").waitFor();
    expect(await harness.durable.schedules.list()).toEqual([]);
    // Its executions stay.
    expect((await harness.durable.status(executionId)).status).toBe("completed");
    expect(page.errors).toEqual([]);
  });

  it("shows a schedule id and task name holding HTML as text, in the row, the dialog and the notice", async () => {
    const scheduleId = `sched ${IMG}`;
    await harness.durable.schedules.create({
      scheduleId,
      task: markupTask,
      cron: "0 12 * * *",
      data: null,
    });
    const page = await harness.open("#/schedules");
    const row = page.locator("table.schedules tbody tr").first();
    await row.waitFor();
    expect(await row.locator("td.schedule-id").textContent()).toBe(scheduleId);
    expect(await row.locator("td").nth(1).textContent()).toBe(markupTask.name);

    await row.getByRole("button", { name: "Trigger now…" }).click();
    const dialog = page.getByRole("dialog", { name: "Start an execution now?" });
    expect(await dialog.locator("code").first().textContent()).toBe(scheduleId);
    await dialog.getByRole("button", { name: "Yes, start it" }).click();
    const notice = page.getByRole("status");
    await notice.waitFor();
    expect(await notice.locator("a").textContent()).toMatch(`${scheduleId}@trigger-`);
    // The reloaded row links its last execution, whose id holds the schedule's.
    await row.getByRole("link").waitFor();
    expect(await row.getByRole("link").textContent()).toMatch(`${scheduleId}@trigger-`);
    expect(await page.locator("main img, main script").count()).toBe(0);
    expect(await page.evaluate(() => (window as { pwned?: string }).pwned)).toBeUndefined();
    expect(page.errors).toEqual([]);
  });
});
