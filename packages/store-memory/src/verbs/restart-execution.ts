import { ExecutionNotFoundError, ExecutionNotRetryableError, RETRYABLE_STATUSES } from "@zart/core";
import type { ExecutionRecord } from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import { clearLease, copy } from "../storage/rows.js";

/**
 * The operator's retry of a failed or cancelled execution: its unfinished steps are forgotten and it
 * is due now as a fresh attempt; completed steps stay to be replayed.
 */
export function restartExecution(ctx: MemoryContext, executionId: string, now: Date): ExecutionRecord {
  const { storage } = ctx;
  const row = storage.execution(executionId);
  if (row === undefined) throw new ExecutionNotFoundError(executionId);
  const record = row.record;
  if (!RETRYABLE_STATUSES.includes(record.status)) {
    throw new ExecutionNotRetryableError(executionId, record.status);
  }
  const steps = storage.steps(executionId);
  for (const [position, step] of steps) if (step.record.status !== "completed") steps.delete(position);
  record.status = "pending";
  record.attempt = 0;
  record.runAt = new Date(now);
  for (const key of ["error", "completedAt", "timeoutAt", "waitReason", "waitEvent"] as const) {
    delete record[key];
  }
  clearLease(row);
  storage.reopenExecution(executionId);
  ctx.emit("retry", executionId);
  return copy(record);
}
