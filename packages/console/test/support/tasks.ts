import { defineTask, NonRetryableError, TaskRegistry } from "@zart/core";

/** Waits for an `approval` event, then records it in a step. */
export const approvalTask = defineTask({
  name: "approval",
  async run(ctx, data: unknown) {
    const decision = await ctx.waitForEvent<{ approved: boolean }>("approval", { timeout: "1h" });
    return ctx.step("record", async () => ({ data, decision }));
  },
});

/** Completes at once with one step. */
export const quickTask = defineTask({
  name: "quick",
  async run(ctx, data: unknown) {
    return ctx.step("echo", async () => data);
  },
});

/** Starts a `quick` child execution with its input and returns the child's result. */
export const parentTask = defineTask({
  name: "parent",
  async run(ctx, data: unknown) {
    return ctx.invoke(quickTask, data);
  },
});

/** Fails in its first step, without retries; the message is the input's `message`. */
export const failingTask = defineTask({
  name: "failing",
  async run(ctx, data: { message?: string } | null) {
    return ctx.step("charge", async () => {
      throw new NonRetryableError(data?.message ?? "card declined");
    });
  },
});

/** What `flaky` sees outside the store: whether its charge goes through, and how often it reserved. */
export const flakyWorld = { chargeWorks: false, reserves: 0 };

/** Reserves, then charges: fails (without retries) while `flakyWorld.chargeWorks` is false. */
export const flakyTask = defineTask({
  name: "flaky",
  async run(ctx) {
    await ctx.step("reserve", async () => ++flakyWorld.reserves);
    return ctx.step("charge", async () => {
      if (!flakyWorld.chargeWorks) throw new NonRetryableError("card declined");
      return "charged";
    });
  },
});

/** Does nothing: many of them fill pages of the list. */
export const fillerTask = defineTask({
  name: "filler",
  async run() {
    return null;
  },
});

export const testRegistry = (): TaskRegistry =>
  new TaskRegistry()
    .register(approvalTask)
    .register(quickTask)
    .register(parentTask)
    .register(failingTask)
    .register(fillerTask)
    .register(flakyTask);
