import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable } from "./support/browser.js";
import { BROWSER_TEST_MS, type ConsoleHarness, startConsoleHarness } from "./support/console-harness.js";

describe.runIf(browserAvailable)("console: queues page", { timeout: BROWSER_TEST_MS }, () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await startConsoleHarness();
    // Work of a task the harness's worker does not run: it stays where it is put.
    const { scheduler } = harness;
    const now = scheduler.clock.now();
    for (const [executionId, tenant] of [
      ["x1", "t7"],
      ["x2", "t7"],
      ["x3", "t8"],
    ] as const) {
      await scheduler.createExecution(
        {
          executionId,
          taskName: "export",
          payload: "{}",
          runAt: now,
          concurrencyKey: `queue:exports\n${tenant}`,
        },
        now,
      );
    }
    await scheduler.claim({ workerId: "elsewhere", taskNames: ["export"], limit: 1, leaseMs: 600_000, now });
  });
  afterAll(() => harness?.close());

  it("shows running and due work per queue key, reached from the nav, and links to the queue's executions", async () => {
    const page = await harness.open("#/");
    await page.getByRole("link", { name: "Queues" }).click();
    const rows = page.locator("table.queues tbody tr");
    await rows.first().waitFor();
    const cells = await rows.evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent ?? "")),
    );
    expect(cells).toEqual([
      ["queue exports", "t7", "–", "1", "1", "0"],
      ["queue exports", "t8", "–", "0", "1", "0"],
    ]);
    await rows.first().getByRole("link", { name: "queue exports" }).click();
    await page.getByRole("heading", { name: "Executions of queue exports" }).waitFor();
    const listed = page.locator("table.executions tbody tr");
    await listed.nth(2).waitFor();
    expect(await listed.count()).toBe(3);
    expect(page.url()).toContain("queue=exports");
    expect(page.errors).toEqual([]);
  });

  it("shows why a pending execution waits on its detail page", async () => {
    const page = await harness.open("#/executions/x2");
    const reason = page.locator("dd.pending-reason");
    await reason.waitFor();
    expect(await reason.textContent()).toBe('no live worker runs task "export"');
    expect(page.errors).toEqual([]);
  });
});
