import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable } from "./support/browser.js";
import { BROWSER_TEST_MS, type ConsoleHarness, startConsoleHarness } from "./support/console-harness.js";
import { flakyWorld } from "./support/tasks.js";

describe.runIf(browserAvailable)("console: retry", { timeout: BROWSER_TEST_MS }, () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await startConsoleHarness();
  });
  afterAll(() => harness?.close());

  it("retries a failed execution once confirmed; its completed step does not run again", async () => {
    await harness.start("pay-1", "flaky", null);
    await harness.settle("pay-1", "failed");
    expect(flakyWorld.reserves).toBe(1);
    const page = await harness.open("#/executions/pay-1");

    await page.getByRole("button", { name: "Retry…" }).click();
    const dialog = page.getByRole("dialog", { name: "Retry this execution?" });
    await dialog.getByRole("button", { name: "Leave it failed" }).click();
    await dialog.waitFor({ state: "detached" });
    expect((await harness.durable.status("pay-1")).status).toBe("failed");

    flakyWorld.chargeWorks = true;
    await page.getByRole("button", { name: "Retry…" }).click();
    await dialog.getByRole("button", { name: "Yes, retry it" }).click();
    await page.getByRole("status").filter({ hasText: "Retrying." }).waitFor();
    await harness.settle("pay-1", "completed");
    await page.locator("h1 .badge", { hasText: "completed" }).waitFor();
    expect((await harness.durable.status("pay-1")).result).toBe("charged");
    expect(flakyWorld.reserves).toBe(1);
    expect(await page.getByRole("button", { name: "Retry…" }).count()).toBe(0);
    expect(page.errors).toEqual([]);
  });
});
