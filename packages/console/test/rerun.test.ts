import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable } from "./support/browser.js";
import { BROWSER_TEST_MS, type ConsoleHarness, startConsoleHarness } from "./support/console-harness.js";
import { flakyWorld } from "./support/tasks.js";

describe.runIf(browserAvailable)("console: rerun from a step", { timeout: BROWSER_TEST_MS }, () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await startConsoleHarness();
  });
  afterAll(() => harness?.close());

  it("reruns a failed execution from its failed step as a new execution that names its origin", async () => {
    flakyWorld.chargeWorks = false;
    flakyWorld.reserves = 0;
    await harness.start("order-1", "flaky", { note: "<b>kept</b>" });
    await harness.settle("order-1", "failed");
    const page = await harness.open("#/executions/order-1");

    const charge = page.locator(".timeline-step", { hasText: "charge" });
    await charge.getByRole("button", { name: "Rerun from this step…" }).click();
    const dialog = page.getByRole("dialog", { name: "Rerun from this step?" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect((await harness.durable.listExecutions()).map((e) => e.executionId)).toEqual(["order-1"]);

    flakyWorld.chargeWorks = true;
    await charge.getByRole("button", { name: "Rerun from this step…" }).click();
    await dialog.getByLabel("New execution id (optional)").fill("order-1-rerun");
    await dialog.getByRole("button", { name: "Yes, rerun from charge" }).click();
    await page.locator("h1 code", { hasText: "order-1-rerun" }).waitFor();
    await harness.settle("order-1-rerun", "completed");
    await page.locator("h1 .badge", { hasText: "completed" }).waitFor();
    await page.getByRole("link", { name: "order-1", exact: true }).waitFor();

    const rerun = await harness.durable.status("order-1-rerun");
    expect(rerun).toMatchObject({
      result: "charged",
      payload: { note: "<b>kept</b>" },
      rerunOf: { executionId: "order-1", fromStep: "charge" },
    });
    expect(flakyWorld.reserves).toBe(1);
    expect((await harness.durable.status("order-1")).status).toBe("failed");
    expect(page.errors).toEqual([]);
  });
});
