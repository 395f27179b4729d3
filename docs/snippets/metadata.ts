import { context, defineTask } from "@zart/core";

// #region signal
export const download = defineTask({
  name: "download",
  async run(ctx, url: string) {
    // Aborted when the execution is cancelled, times out, or this worker loses
    // its lease: pass it on so long calls stop early.
    return ctx.step("download", async () => {
      const response = await fetch(url, { signal: ctx.signal });
      return response.text();
    });
  },
});
// #endregion signal

// #region metadata
export const whoAmI = defineTask({
  name: "who-am-i",
  async run(ctx) {
    console.log(ctx.executionId, ctx.taskName, ctx.attempt, ctx.isRetry);
    logFromAnywhere();
  },
});

/** Helpers deep in your code read the same metadata without a ctx parameter. */
function logFromAnywhere(): void {
  const { executionId, taskName, data, currentAttempt, maxRetries, isRetry } =
    context();
  console.log({
    executionId,
    taskName,
    data,
    currentAttempt,
    maxRetries,
    isRetry,
  });
}
// #endregion metadata
