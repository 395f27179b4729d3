import type { DueCount } from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";

/** One pass over the executions (no index in memory): pending or waiting with `runAt <= now`, by task. */
export function countDue(ctx: MemoryContext, now: Date): DueCount[] {
  const counts = new Map<string, DueCount>();
  for (const { record } of ctx.storage.executions()) {
    if (record.status !== "pending" && record.status !== "waiting") continue;
    if (record.runAt === undefined || record.runAt.getTime() > now.getTime()) continue;
    const count = counts.get(record.taskName);
    if (count === undefined) {
      counts.set(record.taskName, { taskName: record.taskName, due: 1, oldestDueAt: new Date(record.runAt) });
      continue;
    }
    count.due++;
    if (record.runAt < count.oldestDueAt) count.oldestDueAt = new Date(record.runAt);
  }
  return [...counts.values()];
}
