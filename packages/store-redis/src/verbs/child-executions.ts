import type {
  AwaitChildrenInput,
  ChildWaitOutcome,
  ExecutionPatch,
  Lease,
  StartChildInput,
  StepRecord,
} from "@zart/core/store";
import { millis, optional, patchArgs } from "../db/args.js";
import { parseRow, parseStep } from "../db/codec.js";
import type { RedisContext } from "../db/context.js";

/** Fenced: starts a child execution and records the parent's `child` step, once per position. */
export async function startChildExecution(
  ctx: RedisContext,
  lease: Lease,
  input: StartChildInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<StepRecord> {
  const [step, created] = (await ctx.executor.fenced("startChildExecution", lease, [
    input.position,
    input.stepName,
    input.childId,
    input.taskName,
    input.payload,
    input.detached ? "1" : "0",
    ...patchArgs(patch),
    millis(now),
    ctx.origin,
    JSON.stringify(input.childId),
    optional(input.traceContext),
    optional(input.version),
  ])) as [string, number];
  if (created === 1) ctx.emit("created", input.childId);
  return parseStep(step);
}

/** Fenced: the children's rows when all are terminal; otherwise parks the parent until one settles. */
export async function awaitChildExecutions(
  ctx: RedisContext,
  lease: Lease,
  input: AwaitChildrenInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<ChildWaitOutcome> {
  const [outcome, rows] = (await ctx.executor.fenced("awaitChildExecutions", lease, [
    input.position,
    input.stepName,
    millis(input.wakeAt),
    ...patchArgs(patch),
    millis(now),
    ...input.childIds,
  ])) as ["settled" | "suspended", string[][]?];
  if (outcome === "suspended") return { outcome };
  return { outcome, children: (rows ?? []).map((row) => parseRow(row)!) };
}
