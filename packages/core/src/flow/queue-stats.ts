import type { QueueCount } from "../scheduler/backlog.js";
import type { TaskRegistry } from "../task/task-registry.js";

/** One concurrency group (or one unlimited task) as `durable.queueStats()` shows it. */
export interface QueueInfo {
  /** The queue (`defineQueue({ name })`) of the group; absent for a task's own group. */
  queue?: string;
  /** The task of the group: its own `concurrency`, or no limit at all. Absent for a queue. */
  task?: string;
  /** What `concurrency.key(data)` returned, for a keyed group. */
  key?: string;
  /** The group as persisted (`queue:<name>` or `task:<name>`, then `"\n"` and the key); absent = none. */
  concurrencyKey?: string;
  /** The limit, when this client's task registry knows the task or queue (absent otherwise). */
  limit?: number;
  /** Executions holding an unexpired lease. */
  running: number;
  /** Due executions not claimed yet. */
  due: number;
  /** Pending executions whose start or retry is later. */
  delayed: number;
}

/**
 * The limit of a concurrency group, from the registry: a task's own group is in its task, a
 * queue's in any task of the queue. `undefined` when no registered task has that group (the
 * store keeps keys, not limits: limits travel with the claims).
 */
export function registeredLimit(
  registry: TaskRegistry | undefined,
  concurrencyKey: string,
): number | undefined {
  if (registry === undefined) return undefined;
  const newline = concurrencyKey.indexOf("\n");
  const scope = newline < 0 ? concurrencyKey : concurrencyKey.slice(0, newline);
  for (const name of registry.names()) {
    const group = registry.find(name)?.concurrency;
    if (group?.scope === scope) return group.limit;
  }
  return undefined;
}

/** The public view of one row of `Scheduler.queueStats`. */
export function toQueueInfo(count: QueueCount, registry: TaskRegistry | undefined): QueueInfo {
  const counts = { running: count.running, due: count.due, delayed: count.delayed };
  if (count.concurrencyKey === undefined) return { task: count.taskName ?? "", ...counts };
  const concurrencyKey = count.concurrencyKey;
  const newline = concurrencyKey.indexOf("\n");
  const scope = newline < 0 ? concurrencyKey : concurrencyKey.slice(0, newline);
  const [kind, ...rest] = scope.split(":");
  const name = rest.join(":");
  const limit = registeredLimit(registry, concurrencyKey);
  return {
    ...(kind === "queue" ? { queue: name } : { task: name }),
    ...(newline < 0 ? {} : { key: concurrencyKey.slice(newline + 1) }),
    concurrencyKey,
    ...(limit === undefined ? {} : { limit }),
    ...counts,
  };
}

/** Queues first, then tasks, each by name, then key. */
export function compareQueueInfo(a: QueueInfo, b: QueueInfo): number {
  const rank = (q: QueueInfo) => `${q.queue === undefined ? 1 : 0}${q.queue ?? q.task}\u0000${q.key ?? ""}`;
  return rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0;
}
