import {
  countQueues,
  type PendingCounts,
  type PendingCountsQuery,
  pendingCountsOf,
  type QueueCount,
} from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";

/** One pass over the executions (no index in memory), grouped by concurrency key or task. */
export function queueStats(ctx: MemoryContext, now: Date): QueueCount[] {
  return countQueues(
    [...ctx.storage.executions()].map(({ record }) => record),
    now,
  );
}

/** `Scheduler.pendingCounts` from the same pass (nothing to index by here). */
export function pendingCounts(ctx: MemoryContext, query: PendingCountsQuery, now: Date): PendingCounts {
  return pendingCountsOf(queueStats(ctx, now), query);
}
