import {
  type Duration,
  defineTask,
  RetryConfig,
  type TaskContext,
  type TaskHandler,
  TaskRegistry,
} from "@zart/core";
import * as z from "zod";

// #region define-task
export const sendInvoice = defineTask({
  name: "send-invoice",
  // Validated when an execution is started: bad input is rejected before
  // anything is persisted.
  input: z.object({
    customerId: z.string(),
    amountCents: z.number().int().positive(),
  }),
  // Validated when a typed caller waits for the result (`waitFor`,
  // `startAndWaitFor`).
  output: z.object({ invoiceId: z.string() }),
  timeout: "1h", // the whole execution, wall clock from its first start
  maxRetries: 3, // re-run the task (completed steps skipped) up to 3 times
  // backoff between those task-level retries
  retry: RetryConfig.exponential(3, "10s"),
  async run(ctx, data) {
    const invoiceId = await ctx.step(
      "create-invoice",
      () => `inv-${data.customerId}-${data.amountCents}`,
    );
    await ctx.step("email-invoice", async () => {
      // call the mailer with an idempotency key: `${ctx.executionId}:email`
    });
    return { invoiceId };
  },
});
// #endregion define-task

// #region class-form
/** The class form (the Rust Zart's `TaskHandler`): an object with `run`. */
class NightlyReport implements TaskHandler<{ day: string }, number> {
  maxRetries = 2;
  timeout: Duration = "30m";

  async run(ctx: TaskContext, data: { day: string }): Promise<number> {
    return ctx.step("count-orders", async () => data.day.length);
  }
}
// #endregion class-form

// #region registry
const registry = new TaskRegistry()
  .register(sendInvoice) // a definition made by defineTask
  .register("nightly-report", new NightlyReport()); // or a name and a handler
// Registering a name twice throws a ValidationError.
console.log(registry.names()); // ["send-invoice", "nightly-report"]
// #endregion registry
