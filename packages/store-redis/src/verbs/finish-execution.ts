import type {
  CompleteExecutionInput,
  ExecutionPatch,
  FailExecutionInput,
  Lease,
  RetryExecutionInput,
} from "@zart/core/store";
import { millis, patchArgs } from "../db/args.js";
import { encodeError } from "../db/codec.js";
import type { RedisContext } from "../db/context.js";

/** Fenced: ends the attempt for a retry at `runAt`, deleting every step that is not completed. */
export async function retryExecution(
  ctx: RedisContext,
  lease: Lease,
  input: RetryExecutionInput,
  patch: ExecutionPatch,
  _now: Date,
): Promise<void> {
  await ctx.executor.fenced("retryExecution", lease, [
    encodeError(input.error),
    millis(input.runAt),
    ...patchArgs(patch),
    ctx.origin,
  ]);
  ctx.emit("retry", lease.executionId);
}

/**
 * Fenced: the execution completes with `result` at `now` (batched; the parent a finished child woke
 * is announced by `FencedWrites`). The batch's promise itself, no `then` or `async` wrapper: one
 * promise fewer per execution (see `saveStep`).
 */
export function completeExecution(
  ctx: RedisContext,
  lease: Lease,
  input: CompleteExecutionInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<void> {
  return ctx.writes.submit({ op: "complete", lease, result: input.result, patch, now }) as Promise<void>;
}

/** Fenced: the execution fails with `error` at `now`; its unsettled children are cancelled (batched). */
export function failExecution(
  ctx: RedisContext,
  lease: Lease,
  input: FailExecutionInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<void> {
  return ctx.writes.submit({ op: "fail", lease, error: input.error, patch, now }) as Promise<void>;
}
