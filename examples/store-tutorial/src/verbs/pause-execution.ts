import {
  ExecutionNotPausableError,
  ExecutionNotPausedError,
  type ExecutionRecord,
  isTerminal,
} from "@zart/core/store";
import { clearLease, entryOf } from "../storage/rows.js";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

export function pauseExecution(storage: TutorialStorage, executionId: string): ExecutionRecord {
  const entry = entryOf(storage, executionId);
  const record = entry.record;
  if (isTerminal(record.status)) throw new ExecutionNotPausableError(executionId, record.status);
  if (record.status !== "paused") {
    record.status = "paused";
    for (const key of ["runAt", "waitReason", "waitEvent"] as const) delete record[key];
    clearLease(entry);
  }
  return structuredClone(record);
}

export function resumeExecution(storage: TutorialStorage, executionId: string, now: Date): ExecutionRecord {
  const record = entryOf(storage, executionId).record;
  if (record.status !== "paused") throw new ExecutionNotPausedError(executionId, record.status);
  record.status = "pending";
  record.runAt = new Date(now);
  return structuredClone(record);
}
