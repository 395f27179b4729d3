import { type CreateOutcome, isTerminal } from "@zart/core";
import type { NewExecution } from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import { newExecutionRecord } from "../storage/rows.js";
import { insertRun } from "../storage/runs.js";

/** Each item as `createExecution`, a held id answered `exists`; one wake-up for the batch. */
export function createExecutions(
  ctx: MemoryContext,
  inputs: readonly NewExecution[],
  now: Date,
): CreateOutcome[] {
  const outcomes = inputs.map((input): CreateOutcome => {
    const existing = ctx.storage.execution(input.executionId);
    if (existing !== undefined && !isTerminal(existing.record.status)) return "exists";
    insertRun(ctx.storage, newExecutionRecord(input, now));
    return "created";
  });
  const first = inputs[outcomes.indexOf("created")];
  if (first !== undefined) ctx.emit("created", first.executionId);
  return outcomes;
}
