import type { ExecutionPatch, Lease, SuspendInput } from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import { fenceExecution } from "../storage/fencing.js";
import { applyPatch, park, putStep, toStepRecord } from "../storage/rows.js";

export function suspend(ctx: MemoryContext, lease: Lease, input: SuspendInput, patch: ExecutionPatch): void {
  const record = input.step && toStepRecord(input.step);
  const row = fenceExecution(ctx.storage, lease);
  if (record !== undefined) putStep(ctx.storage, lease.executionId, record);
  applyPatch(row.record, patch);
  park(row, input.reason, input.wakeAt);
}
