import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable } from "./support/browser.js";
import { BROWSER_TEST_MS, type ConsoleHarness, startConsoleHarness } from "./support/console-harness.js";

/** Each sets `window.pwned` if the console ever treats it as markup. */
const SCRIPT = "<script>window.pwned = 'script'</script>";
const IMG = `<img src="x" onerror="window.pwned = 'img'">`;

describe.runIf(browserAvailable)(
  "console: HTML and script in data are shown as text",
  { timeout: BROWSER_TEST_MS },
  () => {
    let harness: ConsoleHarness;
    beforeAll(async () => {
      harness = await startConsoleHarness();
    });
    afterAll(() => harness?.close());

    it("in ids, task input, errors and event payloads, on the list and the detail page", async () => {
      const id = `xss ${IMG}`;
      await harness.start(id, "failing", { message: IMG, note: SCRIPT });
      await harness.settle(id, "failed");
      const waiting = `xss ${SCRIPT}`;
      await harness.start(waiting, "approval", SCRIPT);
      await harness.settle(waiting, "waiting");
      await harness.durable.offerEvent(waiting, "unrelated", { html: IMG }, { idempotencyKey: SCRIPT });

      const list = await harness.open("#/");
      await list.getByRole("link", { name: id, exact: true }).waitFor();
      await list.getByRole("link", { name: waiting, exact: true }).waitFor();
      expect(await list.locator("main img, main script").count()).toBe(0);

      await list.getByRole("link", { name: id, exact: true }).click();
      await list.locator("h1 .badge", { hasText: "failed" }).waitFor();
      expect(await list.locator("h1 .execution-id").textContent()).toBe(id);
      // The execution's error and its step's, each caused by the task's own.
      expect(await list.locator(".error-cause .error-message").allTextContents()).toEqual([IMG, IMG]);
      expect(await list.locator("details.json", { hasText: "input" }).locator("pre").textContent()).toContain(
        JSON.stringify(SCRIPT),
      );
      expect(await list.locator("main img, main script").count()).toBe(0);

      const detail = await harness.open(`#/executions/${encodeURIComponent(waiting)}`);
      await detail.locator("table tbody tr", { hasText: "unrelated" }).waitFor();
      expect(await detail.locator("h1 .execution-id").textContent()).toBe(waiting);
      expect(await detail.getByText(SCRIPT, { exact: true }).count()).toBe(1); // the idempotency key
      expect(await detail.locator("main img, main script").count()).toBe(0);

      for (const page of [list, detail]) {
        expect(await page.evaluate(() => (window as { pwned?: string }).pwned)).toBeUndefined();
        expect(page.errors).toEqual([]);
      }
    });
  },
);
