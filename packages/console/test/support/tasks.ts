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

/** Fails in its first step, without retries; the message is the input's `message`. */
export const failingTask = defineTask({
  name: "failing",
  async run(ctx, data: { message?: string } | null) {
    return ctx.step("charge", async () => {
      throw new NonRetryableError(data?.message ?? "card declined");
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
  new TaskRegistry().register(approvalTask).register(quickTask).register(failingTask).register(fillerTask);
