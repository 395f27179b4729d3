import {
  type AnyEventWaitOutcome,
  type AwaitAnyEventInput,
  type ExecutionPatch,
  joinWaitEvents,
  type Lease,
} from "@zart/core/store";
import { millis, patchArgs } from "../db/args.js";
import { encodeError } from "../db/codec.js";
import type { RedisContext } from "../db/context.js";

/** Fenced, atomic with `offerEvent`: the first offered event among several names (see the contract). */
export async function awaitAnyEvent(
  ctx: RedisContext,
  lease: Lease,
  input: AwaitAnyEventInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<AnyEventWaitOutcome> {
  const [outcome, eventName, payload] = (await ctx.executor.fenced("awaitAnyEvent", lease, [
    input.position,
    input.stepName,
    joinWaitEvents(input.eventNames),
    millis(input.deadline),
    millis(input.wakeAt),
    encodeError(input.timeoutError),
    ...patchArgs(patch),
    millis(now),
  ])) as [AnyEventWaitOutcome["outcome"], string, string];
  return outcome === "received" ? { outcome, eventName, payload } : { outcome };
}
