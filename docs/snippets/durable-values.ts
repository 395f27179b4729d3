import { randomUUID } from "node:crypto";
import { defineTask } from "@zart/core";

// #region now-capture
export const audit = defineTask({
  name: "audit",
  async run(ctx) {
    // a Date, the same on every replay
    const startedAt = await ctx.now("started-at");
    // computed once
    const requestId = await ctx.capture("request-id", () => randomUUID());
    const coin = await ctx.capture("coin", () => Math.random() < 0.5);
    return { startedAt: startedAt.toISOString(), requestId, coin };
  },
});
// #endregion now-capture

// #region data
interface Progress {
  processed: number;
}

export const importRows = defineTask({
  name: "import-rows",
  async run(ctx, batches: string[][]) {
    for (const [i, batch] of batches.entries()) {
      await ctx.step(`import-${i}`, () => batch.length);
      const progress = ctx.data<Progress>() ?? { processed: 0 };
      // Saved with the next checkpoint; visible in `status().data` (and `zart
      // status`).
      ctx.setData({ processed: progress.processed + batch.length });
    }
  },
});
// #endregion data
