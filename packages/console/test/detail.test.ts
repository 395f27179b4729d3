import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable } from "./support/browser.js";
import { BROWSER_TEST_MS, type ConsoleHarness, startConsoleHarness } from "./support/console-harness.js";

describe.runIf(browserAvailable)("console: execution detail", { timeout: BROWSER_TEST_MS }, () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await startConsoleHarness();
  });
  afterAll(() => harness?.close());

  it("shows a waiting execution's step timeline, and sending the awaited event from the UI completes it", async () => {
    await harness.start("order-1", "approval", { amount: 42 });
    await harness.settle("order-1", "waiting");
    const page = await harness.open("#/executions/order-1");

    await page.getByText("waiting", { exact: true }).first().waitFor();
    const step = page.locator(".timeline-step").filter({ hasText: "approval" });
    expect(await step.locator(".step-kind").textContent()).toBe("event");
    expect(await step.locator(".badge").textContent()).toBe("waiting");
    expect(await page.locator("details.json", { hasText: "input" }).locator("pre").textContent()).toBe(
      JSON.stringify({ amount: 42 }, null, 2),
    );
    expect(await page.getByText("No event was offered to this execution.").isVisible()).toBe(true);

    await page.getByRole("button", { name: "Send event…" }).click();
    const form = page.getByRole("dialog", { name: "Send an event" });
    expect(await form.getByLabel("Event name").inputValue()).toBe("approval");
    await form.getByLabel("Payload (JSON)").fill('{"approved": true}');
    await form.getByLabel("Idempotency key (optional)").fill("approve-once");
    await form.getByRole("button", { name: "Review…" }).click();
    await page
      .getByRole("dialog", { name: "Send this event?" })
      .getByRole("button", { name: "Yes, send it" })
      .click();

    await page.getByRole("status").filter({ hasText: "Event sent." }).waitFor();
    await page.locator("h1 .badge", { hasText: "completed" }).waitFor();
    const final = await harness.durable.status("order-1");
    expect(final.status).toBe("completed");
    expect(final.result).toEqual({ data: { amount: 42 }, decision: { approved: true } });
    const mailboxRow = page.locator("table tbody tr", { hasText: "approve-once" });
    expect(await mailboxRow.locator("td").nth(1).textContent()).toBe("consumed");
    expect(await page.locator(".timeline-step").count()).toBe(2);
    // Finished: the actions are gone.
    expect(await page.getByRole("button", { name: "Send event…" }).count()).toBe(0);
    expect(page.errors).toEqual([]);
  });

  it("rejects a payload that is not JSON before anything is sent", async () => {
    await harness.start("order-2", "approval", null);
    await harness.settle("order-2", "waiting");
    const page = await harness.open("#/executions/order-2");
    await page.getByRole("button", { name: "Send event…" }).click();
    const form = page.getByRole("dialog", { name: "Send an event" });
    await form.getByLabel("Payload (JSON)").fill("{approved: yes");
    await form.getByRole("button", { name: "Review…" }).click();
    await form.getByText(/The payload is not JSON/).waitFor();
    expect((await harness.durable.status("order-2")).events).toEqual([]);
  });

  it("cancels only once the operator confirms", async () => {
    await harness.start("order-3", "approval", null);
    await harness.settle("order-3", "waiting");
    const page = await harness.open("#/executions/order-3");

    await page.getByRole("button", { name: "Cancel…" }).click();
    const dialog = page.getByRole("dialog", { name: "Cancel this execution?" });
    await dialog.getByRole("button", { name: "Keep it running" }).click();
    await dialog.waitFor({ state: "detached" });
    expect((await harness.durable.status("order-3")).status).toBe("waiting");

    await page.getByRole("button", { name: "Cancel…" }).click();
    await dialog.getByRole("button", { name: "Yes, cancel it" }).click();
    await page.getByRole("status").filter({ hasText: "Cancelled." }).waitFor();
    await page.locator("h1 .badge", { hasText: "cancelled" }).waitFor();
    expect((await harness.durable.status("order-3")).status).toBe("cancelled");
  });

  it("shows a failed step's error with its cause", async () => {
    await harness.start("order-4", "failing", { message: "card declined" });
    await harness.settle("order-4", "failed");
    const page = await harness.open("#/executions/order-4");
    const step = page.locator(".timeline-step").filter({ hasText: "charge" });
    const error = step.locator(".error-info").first();
    await error.waitFor();
    expect(await error.locator(".error-code").first().textContent()).toBe("STEP_FAILED");
    expect(await error.locator(".error-cause .error-message").textContent()).toBe("card declined");
    expect(await step.locator(".badge").textContent()).toBe("failed");
  });

  it("says so when no execution has the id", async () => {
    const page = await harness.open("#/executions/nobody");
    await page.getByRole("heading", { name: "Execution not found" }).waitFor();
  });
});
