import type { AwaitEventInput, EventWaitOutcome, ExecutionPatch, Lease } from "@zart/core/store";
import { millis, patchArgs } from "../db/args.js";
import { encodeError } from "../db/codec.js";
import type { RedisContext } from "../db/context.js";

/** Fenced, atomic with `offerEvent`: `received`, `timeout` or `suspended`. */
export async function awaitEvent(
  ctx: RedisContext,
  lease: Lease,
  input: AwaitEventInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<EventWaitOutcome> {
  const [outcome, payload] = (await ctx.executor.fenced("awaitEvent", lease, [
    input.position,
    input.stepName,
    input.eventName,
    millis(input.deadline),
    millis(input.wakeAt),
    encodeError(input.timeoutError),
    ...patchArgs(patch),
    millis(now),
  ])) as [EventWaitOutcome["outcome"], string?];
  if (outcome === "received") return payload === undefined ? { outcome } : { outcome, payload };
  return { outcome };
}
