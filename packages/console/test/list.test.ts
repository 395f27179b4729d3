import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable } from "./support/browser.js";
import { BROWSER_TEST_MS, type ConsoleHarness, startConsoleHarness } from "./support/console-harness.js";

/** The execution ids in the list, once it shows exactly `count` rows. */
async function listedIds(page: Page, count: number): Promise<string[]> {
  await page.waitForFunction(
    (n) => document.querySelectorAll("table.executions tbody tr").length === n,
    count,
  );
  return page.locator("table.executions tbody tr td:first-child").allTextContents();
}

describe.runIf(browserAvailable)("console: executions list", { timeout: BROWSER_TEST_MS }, () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await startConsoleHarness();
    for (let i = 0; i < 3; i++) await harness.start(`done-${i}`, "quick", { i });
    await harness.start("broken-0", "failing", null);
    await harness.start("waits-0", "approval", null);
    await Promise.all([
      ...[0, 1, 2].map((i) => harness.settle(`done-${i}`, "completed")),
      harness.settle("broken-0", "failed"),
      harness.settle("waits-0", "waiting"),
    ]);
  });
  afterAll(() => harness?.close());

  it("lists every execution, newest first, and filters by status and by task", async () => {
    const page = await harness.open("#/");
    expect(await listedIds(page, 5)).toEqual(["waits-0", "broken-0", "done-2", "done-1", "done-0"]);

    await page.getByLabel("Status").selectOption("failed");
    expect(await listedIds(page, 1)).toEqual(["broken-0"]);
    expect(page.url()).toContain("status=failed");

    await page.getByLabel("Status").selectOption("");
    await page.getByLabel("Task").fill("quick");
    await page.getByRole("button", { name: "Filter" }).click();
    expect(await listedIds(page, 3)).toEqual(["done-2", "done-1", "done-0"]);

    await page.getByLabel("Status").selectOption("waiting");
    await page.getByText("No execution matches.").waitFor();
    expect(page.errors).toEqual([]);
  });

  it("shows new executions without a reload", async () => {
    const page = await harness.open("#/?task=approval");
    expect(await listedIds(page, 1)).toEqual(["waits-0"]);
    await harness.start("waits-1", "approval", null);
    expect(await listedIds(page, 2)).toEqual(["waits-1", "waits-0"]);
  });

  it("pages through more executions than fit on one page", async () => {
    const ids = Array.from({ length: 55 }, (_, i) => `bulk-${String(i).padStart(2, "0")}`);
    for (const id of ids) await harness.start(id, "filler", null);
    const page = await harness.open("#/?task=filler");
    const first = await listedIds(page, 50);
    expect(await page.getByRole("button", { name: "← Newer" }).isDisabled()).toBe(true);

    await page.getByRole("button", { name: "Older →" }).click();
    const second = await listedIds(page, 5);
    expect(await page.getByRole("button", { name: "Older →" }).isDisabled()).toBe(true);
    expect([...first, ...second]).toEqual(ids.toReversed());

    // New executions while paging do not shift the page (keyset pagination).
    await harness.start("bulk-late", "filler", null);
    expect(await listedIds(page, 5)).toEqual(second);
    expect(page.url()).toContain("trail=");

    await page.getByRole("button", { name: "← Newer" }).click();
    expect(await listedIds(page, 50)).toEqual(["bulk-late", ...first.slice(0, 49)]);
  });

  it("narrows the list to a created-time range, and pages through it", async () => {
    const ids = Array.from({ length: 53 }, (_, i) => `range-${String(i).padStart(2, "0")}`);
    for (const id of ids) await harness.start(id, "filler", null);
    const created = async (id: string) => (await harness.durable.status(id)).createdAt.toISOString();
    const page = await harness.open("#/");
    await page.locator("table.executions tbody tr").first().waitFor();
    // The inputs take the browser's local time: convert there, independently of the console's code.
    const local = (iso: string) =>
      page.evaluate((at) => {
        const instant = new Date(at);
        return new Date(instant.getTime() - instant.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
      }, iso);

    // From range-01 (included) to range-52 (excluded): 51 executions, over two pages.
    await page.getByLabel("Created from").fill(await local(await created("range-01")));
    await page.getByLabel("Created to").fill(await local(await created("range-52")));
    const first = await listedIds(page, 50);
    expect(first).toEqual(ids.slice(2, 52).toReversed());
    expect(page.url()).toContain("from=");
    expect(page.url()).toContain("to=");

    await page.getByRole("button", { name: "Older →" }).click();
    expect(await listedIds(page, 1)).toEqual(["range-01"]);
    expect(await page.getByRole("button", { name: "Older →" }).isDisabled()).toBe(true);
    // Executions started after the range never show in it.
    await harness.start("range-late", "filler", null);
    await page.getByRole("button", { name: "← Newer" }).click();
    expect(await listedIds(page, 50)).toEqual(first);

    // Combined with the status filter; the range stays.
    await page.getByLabel("Status").selectOption("failed");
    await page.getByText("No execution matches.").waitFor();
    expect(page.url()).toContain("from=");
    expect(page.errors).toEqual([]);
  });

  it("opens an execution by its id", async () => {
    const page = await harness.open("#/");
    await page.getByLabel("Execution id").fill("broken-0");
    await page.getByRole("button", { name: "Open" }).click();
    await page.locator("h1 .execution-id", { hasText: "broken-0" }).waitFor();
    expect(page.url()).toContain("#/executions/broken-0");
  });
});
