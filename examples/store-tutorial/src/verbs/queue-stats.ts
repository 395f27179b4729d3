import { countQueues, type QueueCount } from "@zart/core/store";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

/** Running, due and delayed executions per concurrency key (or per task without one). */
export function queueStats(storage: TutorialStorage, now: Date): QueueCount[] {
  return countQueues(
    [...storage.entries.values()].map(({ record }) => record),
    now,
  );
}
