import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable } from "./support/browser.js";
import { BROWSER_TEST_MS, type ConsoleHarness, startConsoleHarness } from "./support/console-harness.js";

describe.runIf(browserAvailable)("console: workers page", { timeout: BROWSER_TEST_MS }, () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await startConsoleHarness();
  });
  afterAll(() => harness?.close());

  it("lists the running worker with its host, pid and state, reached from the nav", async () => {
    const page = await harness.open("#/");
    await page.getByRole("link", { name: "Workers" }).click();
    const row = page.locator("table.workers tbody tr");
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    const cells = await row.first().locator("td").allTextContents();
    expect(cells[1]).toBe(hostname());
    expect(cells[2]).toBe(String(process.pid));
    expect(cells[7]).toBe("alive");
    expect(page.url()).toContain("#/workers");
    expect(page.errors).toEqual([]);
  });
});
