/** One task's due-but-unclaimed executions, as `Scheduler.countDue` reads them. */
export interface DueCount {
  taskName: string;
  /** Executions `pending` or `waiting` whose `runAt <= now`. */
  due: number;
  /** The earliest `runAt` among them. */
  oldestDueAt: Date;
}

/**
 * The live executions of one concurrency group, as `Scheduler.queueStats` reads them: of one
 * `concurrencyKey`, or, for executions without one (no fleet-wide limit), of one task.
 */
export interface QueueCount {
  /** The group (`queue:<name>` or `task:<name>`, then `"\n"` and the key when keyed); absent = none. */
  concurrencyKey?: string;
  /** The task, for executions without a `concurrencyKey` (absent otherwise). */
  taskName?: string;
  /** Executions `running` whose lease has not expired at `now` (the slots held). */
  running: number;
  /**
   * Claimable executions not held: `pending` or `waiting` with `runAt <= now`, and `running` ones
   * whose lease expired (waiting to be reclaimed).
   */
  due: number;
  /** Executions `pending` with `runAt > now` (a delayed start, a task retry's backoff). */
  delayed: number;
  /** The highest `priority` among the due ones (0 when none, or none has one). */
  topDuePriority: number;
}

/** What `Scheduler.pendingCounts` counts (see there). */
export interface PendingCountsQuery {
  /** The group whose unexpired leases to count; absent = none (`running` is 0). */
  concurrencyKey?: string;
}

/**
 * The two numbers `status()` explains a due execution's wait with, as `queueStats` would give
 * them: `running` of the asked group's row, and the highest `topDuePriority` of all rows.
 */
export interface PendingCounts {
  /** Executions of the asked group `running` with an unexpired lease at `now` (0 without one). */
  running: number;
  /** The highest `priority` among all due executions at `now`, whatever their group (0 when none). */
  topDuePriority: number;
}
