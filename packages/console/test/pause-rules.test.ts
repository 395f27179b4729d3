import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable } from "./support/browser.js";
import { BROWSER_TEST_MS, type ConsoleHarness, startConsoleHarness } from "./support/console-harness.js";

describe.runIf(browserAvailable)("console: pause rules", { timeout: BROWSER_TEST_MS }, () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await startConsoleHarness();
  });
  afterAll(() => harness?.close());

  it("creates a rule on a step from the form: the execution pauses there; deleting it lets it complete", async () => {
    const page = await harness.open("#/");
    await page.getByRole("link", { name: "Pause rules" }).click();
    await page.getByText("No pause rule is in force.").waitFor();
    await page.getByLabel("Task").fill("quick");
    await page.getByLabel("Step").fill("echo");
    await page.getByLabel("For").fill("1h");
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Pausing quick at step echo." }).waitFor();
    const row = page.locator("table.pause-rules tbody tr");
    await row.first().waitFor();
    expect((await row.first().locator("td").allTextContents()).slice(0, 2)).toEqual(["quick", "echo"]);
    expect(await harness.durable.pauseRules.list()).toMatchObject([{ taskName: "quick", stepName: "echo" }]);

    await harness.start("held-1", "quick", { n: 1 });
    await harness.settle("held-1", "paused");
    const detail = await harness.open("#/executions/held-1");
    expect(await detail.locator("dd.paused-by").textContent()).toBe("a pause rule on quick at step echo");

    await row.first().getByRole("button", { name: "Delete…" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete this pause rule?" });
    await dialog.getByRole("button", { name: "Yes, delete it" }).click();
    await page.getByRole("status").filter({ hasText: "Deleted the rule on quick." }).waitFor();
    await page.getByText("No pause rule is in force.").waitFor();
    expect(await harness.durable.pauseRules.list()).toEqual([]);
    await harness.settle("held-1", "completed");
    expect(page.errors).toEqual([]);
  });

  it("shows the server's refusal of a bad duration and creates nothing", async () => {
    const page = await harness.open("#/pause-rules");
    await page.getByLabel("Task").fill("quick");
    await page.getByLabel("For").fill("-5m");
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    await page.locator(".pause-rule-form .form-error").waitFor();
    expect(await harness.durable.pauseRules.list()).toEqual([]);
    expect(page.errors).toEqual([]);
  });
});
