/** One task's due-but-unclaimed executions, as `Scheduler.countDue` reads them. */
export interface DueCount {
  taskName: string;
  /** Executions `pending` or `waiting` whose `runAt <= now`. */
  due: number;
  /** The earliest `runAt` among them. */
  oldestDueAt: Date;
}
