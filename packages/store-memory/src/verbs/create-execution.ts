import { ExecutionAlreadyExistsError, isTerminal } from "@zart/core";
import type { ExecutionRecord, NewExecution } from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import { copy, newExecutionRecord } from "../storage/rows.js";
import { insertRun } from "../storage/runs.js";

/** A terminal execution of the id is replaced (archived as a run) with its steps and events. */
export function createExecution(ctx: MemoryContext, input: NewExecution, now: Date): ExecutionRecord {
  const existing = ctx.storage.execution(input.executionId);
  if (existing !== undefined && !isTerminal(existing.record.status)) {
    throw new ExecutionAlreadyExistsError(input.executionId);
  }
  const record = insertRun(ctx.storage, newExecutionRecord(input, now));
  ctx.emit("created", input.executionId);
  return copy(record);
}
