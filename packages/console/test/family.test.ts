import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable } from "./support/browser.js";
import { BROWSER_TEST_MS, type ConsoleHarness, startConsoleHarness } from "./support/console-harness.js";

describe.runIf(browserAvailable)("console: an execution's family", { timeout: BROWSER_TEST_MS }, () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await startConsoleHarness();
  });
  afterAll(() => harness?.close());

  it("links a child to its parent, and the parent lists its child", async () => {
    await harness.start("family-1", "parent", { n: 7 });
    await harness.settle("family-1", "completed");
    const [child] = (await harness.durable.listExecutionsPage({ parentId: "family-1" })).executions;
    if (!child) throw new Error("the parent started no child");
    const page = await harness.open("#/");

    await page.getByRole("link", { name: child.executionId, exact: true }).click();
    await page.locator("h1 .execution-id", { hasText: child.executionId }).waitFor();
    await page.locator("a.parent-link").click();
    await page.locator("h1 .execution-id", { hasText: "family-1" }).waitFor();
    expect(page.url()).toContain("#/executions/family-1");
    // The wait step shows the child's result as a value, not the text it is stored as.
    const wait = page.locator(".timeline-step", { hasText: "wait:quick" });
    expect(JSON.parse((await wait.locator("details.json pre").textContent()) ?? "")).toEqual([{ n: 7 }]);

    const children = page.locator("table.children tbody tr");
    await children.first().waitFor();
    expect(await children.locator("td:first-child").allTextContents()).toEqual([child.executionId]);
    expect(await children.locator(".badge").textContent()).toBe("completed");
    await children.getByRole("link", { name: child.executionId }).click();
    await page.locator("a.parent-link", { hasText: "family-1" }).waitFor();
    // The children section loads after the header: wait for it rather than sample it once.
    await page.getByText("This execution started no child execution.").waitFor();
    expect(page.errors).toEqual([]);
  });

  it("shows the earlier runs of a re-started id, each readable, only the current one acted on", async () => {
    await harness.start("nightly", "failing", { message: "first night failed" });
    await harness.settle("nightly", "failed");
    await harness.start("nightly", "approval", null);
    await harness.settle("nightly", "waiting");
    const page = await harness.open("#/executions/nightly");

    const runs = page.locator("table.runs tbody tr");
    await page.locator("table.runs tbody tr:nth-child(2)").waitFor();
    expect(await runs.locator("td:first-child").allTextContents()).toEqual(["run 2 (shown)", "run 1"]);
    expect(await runs.nth(1).locator(".badge").textContent()).toBe("failed");
    await page.getByRole("button", { name: "Send event…" }).waitFor();

    await runs.getByRole("link", { name: "run 1" }).click();
    await page.getByText("Run 1 of 2: an earlier run, read only.").waitFor();
    expect(page.url()).toContain("#/executions/nightly?run=1");
    await page.locator("h1 .badge", { hasText: "failed" }).waitFor();
    expect(await page.locator("details.json", { hasText: "input" }).locator("pre").textContent()).toContain(
      "first night failed",
    );
    expect(await runs.locator("td:first-child").allTextContents()).toEqual(["run 2", "run 1 (shown)"]);
    // The actions would act on the current run: none on an earlier one.
    expect(await page.locator(".detail-header .actions button").count()).toBe(0);

    await page.getByRole("link", { name: "The current run →" }).click();
    await page.locator("h1 .badge", { hasText: "waiting" }).waitFor();
    expect(page.url()).not.toContain("run=");
    expect(page.errors).toEqual([]);
  });
});
