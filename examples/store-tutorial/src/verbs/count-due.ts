import type { DueCount } from "@zart/core/store";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

/** The backlog by task: pending or waiting executions whose wake time has come. */
export function countDue(storage: TutorialStorage, now: Date): DueCount[] {
  const counts = new Map<string, DueCount>();
  for (const { record } of storage.entries.values()) {
    const due =
      (record.status === "pending" || record.status === "waiting") && record.runAt && record.runAt <= now;
    if (!due || !record.runAt) continue;
    const count = counts.get(record.taskName) ?? {
      taskName: record.taskName,
      due: 0,
      oldestDueAt: record.runAt,
    };
    count.due++;
    if (record.runAt < count.oldestDueAt) count.oldestDueAt = record.runAt;
    counts.set(record.taskName, count);
  }
  return [...counts.values()].map((count) => ({ ...count, oldestDueAt: new Date(count.oldestDueAt) }));
}
