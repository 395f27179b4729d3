import {
  ExecutionNotFoundError,
  ExecutionNotPausableError,
  ExecutionNotPausedError,
  isTerminal,
} from "@zart/core";
import type { ExecutionRecord } from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import { clearLease, copy } from "../storage/rows.js";

/** The operator's pause: not claimed until resumed; a running holder's next write fails. */
export function pauseExecution(ctx: MemoryContext, executionId: string): ExecutionRecord {
  const row = ctx.storage.execution(executionId);
  if (row === undefined) throw new ExecutionNotFoundError(executionId);
  const record = row.record;
  if (isTerminal(record.status)) throw new ExecutionNotPausableError(executionId, record.status);
  if (record.status !== "paused") {
    record.status = "paused";
    for (const key of ["runAt", "waitReason", "waitEvent"] as const) delete record[key];
    clearLease(row);
  }
  return copy(record);
}

/** The operator's resume: a paused execution is due now. */
export function resumeExecution(ctx: MemoryContext, executionId: string, now: Date): ExecutionRecord {
  const row = ctx.storage.execution(executionId);
  if (row === undefined) throw new ExecutionNotFoundError(executionId);
  const record = row.record;
  if (record.status !== "paused") throw new ExecutionNotPausedError(executionId, record.status);
  record.status = "pending";
  record.runAt = new Date(now);
  ctx.emit("resumed", executionId);
  return copy(record);
}
