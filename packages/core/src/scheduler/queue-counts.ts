import type { PendingCounts, PendingCountsQuery, QueueCount } from "./backlog.js";
import type { ExecutionRecord } from "./records.js";

/**
 * `Scheduler.queueStats` over a scan of execution records, for stores without an index to group
 * by (memory, the tutorial store): the groups of the records, each counted as the contract says.
 */
export function countQueues(records: Iterable<ExecutionRecord>, now: Date): QueueCount[] {
  const groups = new Map<string, QueueCount>();
  const at = now.getTime();
  for (const record of records) {
    const leased = record.status === "running" && record.leaseExpiresAt !== undefined;
    const running = leased && (record.leaseExpiresAt as Date).getTime() > at;
    const waits = record.status === "pending" || record.status === "waiting";
    const due = (waits && record.runAt !== undefined && record.runAt.getTime() <= at) || (leased && !running);
    const delayed = record.status === "pending" && record.runAt !== undefined && record.runAt.getTime() > at;
    if (!running && !due && !delayed) continue;
    // Task names hold no control characters, so "\u0000" + name never equals a concurrency key.
    const id = record.concurrencyKey ?? `\u0000${record.taskName}`;
    let group = groups.get(id);
    if (group === undefined) {
      group = {
        ...(record.concurrencyKey === undefined
          ? { taskName: record.taskName }
          : { concurrencyKey: record.concurrencyKey }),
        running: 0,
        due: 0,
        delayed: 0,
        topDuePriority: 0,
      };
      groups.set(id, group);
    }
    if (running) group.running++;
    if (delayed) group.delayed++;
    if (due) {
      group.due++;
      group.topDuePriority = Math.max(group.topDuePriority, record.priority ?? 0);
    }
  }
  return [...groups.values()];
}

/**
 * `Scheduler.pendingCounts` from `queueStats` rows: for the stores that scan anyway (memory, the
 * tutorial store) and for `status()` over a store without the verb.
 */
export function pendingCountsOf(counts: readonly QueueCount[], query: PendingCountsQuery): PendingCounts {
  const { concurrencyKey } = query;
  const group =
    concurrencyKey === undefined ? undefined : counts.find((c) => c.concurrencyKey === concurrencyKey);
  return {
    running: group?.running ?? 0,
    topDuePriority: counts.reduce((top, c) => Math.max(top, c.topDuePriority), 0),
  };
}
