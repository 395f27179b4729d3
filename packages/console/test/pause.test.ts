import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable } from "./support/browser.js";
import { BROWSER_TEST_MS, type ConsoleHarness, startConsoleHarness } from "./support/console-harness.js";

describe.runIf(browserAvailable)("console: pause and resume", { timeout: BROWSER_TEST_MS }, () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await startConsoleHarness();
  });
  afterAll(() => harness?.close());

  it("pauses a waiting execution once confirmed, then resumes it, and it completes", async () => {
    await harness.start("hold-1", "approval", null);
    await harness.settle("hold-1", "waiting");
    const page = await harness.open("#/executions/hold-1");

    await page.getByRole("button", { name: "Pause…" }).click();
    const pause = page.getByRole("dialog", { name: "Pause this execution?" });
    await pause.getByRole("button", { name: "Yes, pause it" }).click();
    await page.getByRole("status").filter({ hasText: "Paused." }).waitFor();
    await page.locator("h1 .badge", { hasText: "paused" }).waitFor();
    expect((await harness.durable.status("hold-1")).status).toBe("paused");
    await harness.durable.offerEvent("hold-1", "approval", { approved: true });
    expect((await harness.durable.status("hold-1")).status).toBe("paused");

    await page.getByRole("button", { name: "Resume…" }).click();
    const resume = page.getByRole("dialog", { name: "Resume this execution?" });
    await resume.getByRole("button", { name: "Yes, resume it" }).click();
    await page.getByRole("status").filter({ hasText: "Resumed." }).waitFor();
    await harness.settle("hold-1", "completed");
    await page.locator("h1 .badge", { hasText: "completed" }).waitFor();
    expect(page.errors).toEqual([]);
  });
});
