import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable } from "./support/browser.js";
import { BROWSER_TEST_MS, type ConsoleHarness, startConsoleHarness } from "./support/console-harness.js";

describe.runIf(browserAvailable)(
  "console: bulk action on the filtered list",
  { timeout: BROWSER_TEST_MS },
  () => {
    let harness: ConsoleHarness;
    beforeAll(async () => {
      harness = await startConsoleHarness();
      for (let i = 0; i < 3; i++) await harness.start(`wait-${i}`, "approval", null);
      await harness.start("done-0", "quick", { i: 0 });
      await Promise.all([
        ...[0, 1, 2].map((i) => harness.settle(`wait-${i}`, "waiting")),
        harness.settle("done-0", "completed"),
      ]);
    });
    afterAll(() => harness?.close());

    it("needs a filter, shows the dry-run count, changes nothing when backed out, then cancels once confirmed", async () => {
      const page = await harness.open("#/");
      const open = page.getByRole("button", { name: "Bulk action…" });
      expect(await open.isDisabled()).toBe(true);

      await page.getByLabel("Task").fill("approval");
      await page.getByRole("button", { name: "Filter" }).click();
      await open.click();
      const dialog = page.getByRole("dialog", { name: "Bulk action on the filtered executions" });
      await dialog.getByText("3 match; cancel would change 3, skip 0.").waitFor();
      await dialog.getByLabel("Action").selectOption("resume");
      await dialog.getByText("3 match; resume would change 0, skip 3.").waitFor();
      expect(await dialog.getByRole("button", { name: /^Yes, resume/ }).isDisabled()).toBe(true);
      await dialog.getByRole("button", { name: "Back" }).click();
      await dialog.waitFor({ state: "detached" });
      for (let i = 0; i < 3; i++) expect((await harness.durable.status(`wait-${i}`)).status).toBe("waiting");

      await open.click();
      await dialog.getByText("3 match; cancel would change 3, skip 0.").waitFor();
      await dialog.getByRole("button", { name: "Yes, cancel 3" }).click();
      await page.getByRole("status").filter({ hasText: "cancel: 3 changed, 0 skipped." }).waitFor();
      for (let i = 0; i < 3; i++)
        expect((await harness.durable.status(`wait-${i}`)).status).toBe("cancelled");
      expect((await harness.durable.status("done-0")).status).toBe("completed");
      expect(page.errors).toEqual([]);
    });
  },
);
