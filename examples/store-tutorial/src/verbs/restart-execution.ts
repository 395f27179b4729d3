import { ExecutionNotRetryableError, type ExecutionRecord, RETRYABLE_STATUSES } from "@zart/core/store";
import { clearLease, entryOf } from "../storage/rows.js";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

/** Forgets the unfinished steps; completed ones stay to be replayed. */
export function restartExecution(storage: TutorialStorage, executionId: string, now: Date): ExecutionRecord {
  const entry = entryOf(storage, executionId);
  const record = entry.record;
  if (!RETRYABLE_STATUSES.includes(record.status)) {
    throw new ExecutionNotRetryableError(executionId, record.status);
  }
  for (const [position, step] of entry.steps) if (step.status !== "completed") entry.steps.delete(position);
  entry.children.clear();
  record.status = "pending";
  record.attempt = 0;
  record.runAt = new Date(now);
  for (const key of ["error", "completedAt", "timeoutAt", "waitReason", "waitEvent"] as const) {
    delete record[key];
  }
  clearLease(entry);
  return structuredClone(record);
}
