import type { ExecutionPatch, Lease, StepWrite } from "@zart/core/store";
import type { RedisContext } from "../db/context.js";

/** Fenced: inserts or replaces the step at `step.position` and applies the patch (batched). */
export async function saveStep(
  ctx: RedisContext,
  lease: Lease,
  step: StepWrite,
  patch: ExecutionPatch,
  _now: Date,
): Promise<void> {
  await ctx.writes.submit({ op: "step", lease, step, patch });
}
