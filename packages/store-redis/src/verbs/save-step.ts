import type { ExecutionPatch, Lease, StepWrite } from "@zart/core/store";
import type { RedisContext } from "../db/context.js";

/**
 * Fenced: inserts or replaces the step at `step.position` and applies the patch (batched). The
 * batch's promise itself, no `async` wrapper: one promise fewer per step on the hot path.
 */
export function saveStep(
  ctx: RedisContext,
  lease: Lease,
  step: StepWrite,
  patch: ExecutionPatch,
  _now: Date,
): Promise<void> {
  return ctx.writes.submit({ op: "step", lease, step, patch }) as Promise<void>;
}
