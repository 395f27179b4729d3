import {
  countQueues,
  type PendingCounts,
  type PendingCountsQuery,
  pendingCountsOf,
  type QueueCount,
} from "@zart/core/store";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

/** Running, due and delayed executions per concurrency key (or per task without one). */
export function queueStats(storage: TutorialStorage, now: Date): QueueCount[] {
  return countQueues(
    [...storage.entries.values()].map(({ record }) => record),
    now,
  );
}

/** `Scheduler.pendingCounts` from the same pass (nothing to index by here). */
export function pendingCounts(storage: TutorialStorage, query: PendingCountsQuery, now: Date): PendingCounts {
  return pendingCountsOf(queueStats(storage, now), query);
}
