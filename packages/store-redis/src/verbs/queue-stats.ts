import type { PendingCounts, PendingCountsQuery, QueueCount } from "@zart/core/store";
import { millis } from "../db/args.js";
import type { RedisContext } from "../db/context.js";

/** Running, due and delayed executions per concurrency key (or task), read in one script. */
export async function queueStats(ctx: RedisContext, now: Date): Promise<QueueCount[]> {
  const flat = (await ctx.executor.runGlobal("queueStats", [millis(now)])) as (string | number)[];
  const counts: QueueCount[] = [];
  for (let i = 0; i + 5 < flat.length; i += 6) {
    const concurrencyKey = String(flat[i]);
    counts.push({
      ...(concurrencyKey === "" ? { taskName: String(flat[i + 1]) } : { concurrencyKey }),
      running: Number(flat[i + 2]),
      due: Number(flat[i + 3]),
      delayed: Number(flat[i + 4]),
      topDuePriority: Number(flat[i + 5]),
    });
  }
  return counts;
}

/** One group's unexpired leases and the top due priority, read in one script. */
export async function pendingCounts(
  ctx: RedisContext,
  query: PendingCountsQuery,
  now: Date,
): Promise<PendingCounts> {
  const [running, top] = (await ctx.executor.runGlobal("pendingCounts", [
    millis(now),
    query.concurrencyKey ?? "",
  ])) as [number, number];
  return { running: Number(running), topDuePriority: Number(top) };
}
