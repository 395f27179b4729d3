import type { DispatchChildrenInput, DispatchOutcome, ExecutionPatch, Lease } from "@zart/core/store";
import { millis, patchArgs } from "../db/args.js";
import { parseSteps } from "../db/codec.js";
import type { RedisContext } from "../db/context.js";

/** Fenced: inserts the missing children; parks the execution while any child is unsettled. */
export async function dispatchChildren(
  ctx: RedisContext,
  lease: Lease,
  input: DispatchChildrenInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<DispatchOutcome> {
  const pairs = input.children.flatMap(({ position, name }) => [position, name]);
  const [outcome, detail] = (await ctx.executor.fenced("dispatchChildren", lease, [
    millis(input.wakeAt),
    millis(now),
    ...patchArgs(patch),
    ctx.origin,
    ...pairs,
  ])) as ["suspended", number] | ["ready", string[]];
  if (outcome === "suspended") {
    if (detail === 1) ctx.emit("created", lease.executionId);
    return { suspended: true };
  }
  return { suspended: false, children: parseSteps(detail).filter((step) => step.kind === "parallel") };
}
