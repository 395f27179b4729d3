import {
  context,
  defineStep,
  defineTask,
  NonRetryableError,
  RetryConfig,
} from "@zart/core";

declare const payments: {
  charge(
    card: string,
    cents: number,
    options: { idempotencyKey: string },
  ): Promise<{ chargeId: string }>;
};
declare const mailer: { send(to: string, text: string): Promise<void> };

// #region step
export const checkout = defineTask({
  name: "checkout",
  async run(ctx, order: { card: string; cents: number; email: string }) {
    // Runs once; on every later replay the stored result is returned and the
    // body is not called.
    const charge = await ctx.step("charge-card", () =>
      payments.charge(order.card, order.cents, {
        idempotencyKey: `${ctx.executionId}:charge`,
      }),
    );
    await ctx.step("send-receipt", () =>
      mailer.send(order.email, `Charged: ${charge.chargeId}`),
    );
    return charge.chargeId;
  },
});
// #endregion step

// #region step-retry
export const fetchRates = defineTask({
  name: "fetch-rates",
  async run(ctx) {
    // Up to 6 attempts, waiting 1, 2, 4, 8, 16 s between them. Each failed
    // attempt is persisted and the wait is durable: a long backoff releases the
    // worker.
    const rates = await ctx.step(
      "fetch-rates",
      async () => {
        const response = await fetch("https://example.com/rates");
        if (response.status === 404)
          throw new NonRetryableError("no rates published"); // fail at once
        // any other error is retried
        if (!response.ok) throw new Error(`rates answered ${response.status}`);
        return (await response.json()) as Record<string, number>;
      },
      { retry: RetryConfig.exponential(5, "1s") },
    );
    // The same with the retry policy first:
    await ctx.stepWithRetry(
      "store-rates",
      RetryConfig.fixed(3, "5s"),
      async () => {
        /* … */
      },
    );
    return rates;
  },
});
// #endregion step-retry

// #region json
export const jsonValues = defineTask({
  name: "json-values",
  async run(ctx) {
    // What a step returns is its JSON round-trip, on the first run too: a Date
    // comes back as a string.
    const when = await ctx.step("when", () => new Date("2030-01-01T00:00:00Z"));
    // "string" at run time, although the type says Date: convert explicitly
    console.log(typeof when);
    const stamp = new Date(
      await ctx.step("stamp", () => new Date().toISOString()),
    );
    return stamp.getTime();
  },
});
// #endregion json

// #region define-step
const sendWelcomeEmail = defineStep(
  "send-welcome-email",
  async (email: string) => {
    // ambient metadata, inside a step body too
    const { executionId, currentAttempt } = context();
    await mailer.send(
      email,
      `Welcome! (${executionId}, attempt ${currentAttempt + 1})`,
    );
  },
);

// The name can be computed from the arguments:
const processReport = defineStep(
  (index: number, _url: string) => `process-report-${index}`,
  async (index: number, url: string) => ({ index, bytes: url.length }),
  { retry: RetryConfig.fixed(2, "1s") },
);

export const onboarding = defineTask({
  name: "onboarding",
  async run(
    _ctx,
    data: { email: string; reports: string[]; stakeholders: string[] },
  ) {
    await sendWelcomeEmail(data.email); // runs as the step "send-welcome-email"
    // process-report-0, -1, …
    for (const [i, url] of data.reports.entries()) await processReport(i, url);
    for (const [i, email] of data.stakeholders.entries()) {
      // another name for one call
      await sendWelcomeEmail.named(`notify-${i}`)(email);
    }
  },
});
// #endregion define-step

// #region loops
export const notifyAll = defineTask({
  name: "notify-all",
  async run(ctx, emails: string[]) {
    // The same name in a loop is fine: the history records notify, notify#1,
    // notify#2, …
    for (const email of emails)
      await ctx.step("notify", () => mailer.send(email, "Hello"));
  },
});
// #endregion loops
