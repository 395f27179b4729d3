import type { ExecutionPatch, Lease, SuspendInput } from "@zart/core/store";
import { millis, patchArgs } from "../db/args.js";
import { encodeStep } from "../db/codec.js";
import type { RedisContext } from "../db/context.js";

/** Fenced: writes `step` if given and parks the execution until `wakeAt`. */
export async function suspend(
  ctx: RedisContext,
  lease: Lease,
  input: SuspendInput,
  patch: ExecutionPatch,
  _now: Date,
): Promise<void> {
  const { step } = input;
  await ctx.executor.fenced("suspend", lease, [
    millis(input.wakeAt),
    input.reason,
    step === undefined ? "" : step.position,
    step?.kind ?? "",
    step?.status ?? "",
    step === undefined ? "" : encodeStep(step),
    ...patchArgs(patch),
  ]);
}
