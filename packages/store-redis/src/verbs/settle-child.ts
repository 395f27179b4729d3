import type { Scheduler } from "@zart/core";
import type { ChildLease, RetryChildInput } from "@zart/core/store";
import { millis, optional } from "../db/args.js";
import { encodeError } from "../db/codec.js";
import type { RedisContext } from "../db/context.js";

/** Fenced by the child's lease: records its outcome; the last settle wakes a parent waiting on children. */
export async function settleChild(
  ctx: RedisContext,
  lease: ChildLease,
  outcome: Parameters<Scheduler["settleChild"]>[1],
  now: Date,
): Promise<void> {
  const woke = await ctx.executor.fenced("settleChild", lease, [
    lease.childPosition,
    outcome.status,
    optional(outcome.result),
    optional(outcome.error && encodeError(outcome.error)),
    outcome.attempts,
    millis(now),
    ctx.origin,
  ]);
  if (woke === 1) ctx.emit("child", lease.executionId);
}

/** Fenced by the child's lease: parks a failed attempt of the child until `input.wakeAt`. */
export async function retryChild(
  ctx: RedisContext,
  lease: ChildLease,
  input: RetryChildInput,
  _now: Date,
): Promise<void> {
  await ctx.executor.fenced("retryChild", lease, [
    lease.childPosition,
    encodeError(input.error),
    input.attempts,
    millis(input.wakeAt),
  ]);
}
