import type { ExecutionPatch, Lease, StepWrite } from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import { fenceExecution } from "../storage/fencing.js";
import { applyPatch, putStep, toStepRecord } from "../storage/rows.js";

export function saveStep(ctx: MemoryContext, lease: Lease, step: StepWrite, patch: ExecutionPatch): void {
  const record = toStepRecord(step);
  const row = fenceExecution(ctx.storage, lease);
  putStep(ctx.storage, lease.executionId, record);
  applyPatch(row.record, patch);
}
