import type { ExecutionRecord, SerializedError, StepRecord } from "@zart/core/store";
import type { ExecutionRow, MemoryStorage, StepRow } from "./memory-storage.js";
import { clearLease } from "./rows.js";

/** The terminal statuses. */
type TerminalStatus = Extract<ExecutionRecord["status"], "completed" | "failed" | "cancelled">;

/** Moves the execution to a terminal status at `now`, forgetting what it waited on, and clears its lease. */
export function finish(row: ExecutionRow, status: TerminalStatus, now: Date): void {
  row.record.status = status;
  row.record.completedAt = new Date(now);
  delete row.record.waitReason;
  delete row.record.waitEvent;
  clearLease(row);
}

/**
 * Ends the current task attempt for a retry at `runAt`: next attempt, `pending`, `error` recorded,
 * lease cleared, and every step that is not completed deleted (children included) so it runs again.
 */
export function retryAttempt(
  storage: MemoryStorage,
  row: ExecutionRow,
  error: SerializedError,
  runAt: Date,
): void {
  const record = row.record;
  record.attempt += 1;
  record.status = "pending";
  record.runAt = new Date(runAt);
  record.error = error;
  record.waitReason = "retry";
  delete record.waitEvent;
  clearLease(row);
  const steps = storage.steps(record.executionId);
  for (const [position, step] of steps) if (step.record.status !== "completed") steps.delete(position);
}

/** Gives an execution back without progress: due now, lease cleared. */
export function releaseExecution(row: ExecutionRow, now: Date): void {
  clearLease(row);
  row.record.status = "pending";
  row.record.runAt = new Date(now);
}

/** Gives a child back without progress: pending again, due now, lease cleared. */
export function releaseChild(child: StepRow, now: Date): void {
  delete child.lease;
  child.record.status = "pending";
  child.dueAt = new Date(now);
}

const SETTLED: ReadonlySet<StepRecord["status"]> = new Set(["completed", "failed", "cancelled"]);

function isUnsettledChild(step: StepRecord): boolean {
  return step.kind === "parallel" && !SETTLED.has(step.status);
}

/** Whether any parallel child of the execution is still unsettled. */
export function hasUnsettledChild(storage: MemoryStorage, executionId: string): boolean {
  for (const { record } of storage.steps(executionId).values()) if (isUnsettledChild(record)) return true;
  return false;
}

/** Cancels every unsettled child of the execution and clears their leases. */
export function cancelUnsettledChildren(storage: MemoryStorage, executionId: string, now: Date): void {
  for (const child of storage.steps(executionId).values()) {
    if (!isUnsettledChild(child.record)) continue;
    child.record.status = "cancelled";
    child.record.completedAt = new Date(now);
    delete child.lease;
    delete child.dueAt;
  }
}
