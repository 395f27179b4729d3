import type { ExecutionPatch, Lease, StepWrite } from "@zart/core/store";
import { patchArgs } from "../db/args.js";
import { encodeStep } from "../db/codec.js";
import type { RedisContext } from "../db/context.js";

/** Fenced: inserts or replaces the step at `step.position` and applies the patch. */
export async function saveStep(
  ctx: RedisContext,
  lease: Lease,
  step: StepWrite,
  patch: ExecutionPatch,
  _now: Date,
): Promise<void> {
  await ctx.executor.fenced("saveStep", lease, [
    step.position,
    step.kind,
    step.status,
    encodeStep(step),
    ...patchArgs(patch),
  ]);
}
