import type {
  CompleteExecutionInput,
  ExecutionPatch,
  FailExecutionInput,
  Lease,
  RetryExecutionInput,
} from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import { fenceExecution } from "../storage/fencing.js";
import { cancelUnsettledChildren, finish, retryAttempt } from "../storage/lifecycle.js";
import { applyPatch, copy } from "../storage/rows.js";
import { wakeParent } from "./child-executions.js";

export function retryExecution(
  ctx: MemoryContext,
  lease: Lease,
  input: RetryExecutionInput,
  patch: ExecutionPatch,
): void {
  const error = copy(input.error);
  const row = fenceExecution(ctx.storage, lease);
  applyPatch(row.record, patch);
  retryAttempt(ctx.storage, row, error, input.runAt);
  ctx.emit("retry", lease.executionId);
}

export function completeExecution(
  ctx: MemoryContext,
  lease: Lease,
  input: CompleteExecutionInput,
  patch: ExecutionPatch,
  now: Date,
): void {
  const row = fenceExecution(ctx.storage, lease);
  applyPatch(row.record, patch);
  finish(row, "completed", now);
  delete row.record.error;
  if (input.result === undefined) delete row.record.result;
  else row.record.result = input.result;
  wakeParent(ctx, row, now);
}

/** The execution's unsettled parallel children are cancelled with it. */
export function failExecution(
  ctx: MemoryContext,
  lease: Lease,
  input: FailExecutionInput,
  patch: ExecutionPatch,
  now: Date,
): void {
  const error = copy(input.error);
  const row = fenceExecution(ctx.storage, lease);
  applyPatch(row.record, patch);
  finish(row, "failed", now);
  row.record.error = error;
  cancelUnsettledChildren(ctx.storage, lease.executionId, now);
  wakeParent(ctx, row, now);
}
