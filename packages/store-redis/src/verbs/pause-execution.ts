import type { ExecutionRecord } from "@zart/core/store";
import { millis } from "../db/args.js";
import { parseRow } from "../db/codec.js";
import type { RedisContext } from "../db/context.js";

/** Pauses a live execution: not claimed until resumed. */
export async function pauseExecution(
  ctx: RedisContext,
  executionId: string,
  _now: Date,
): Promise<ExecutionRecord> {
  const reply = await ctx.executor.run("pauseExecution", executionId, [executionId]);
  return parseRow(reply as string[]) as ExecutionRecord;
}

/** Makes a paused execution due now. */
export async function resumeExecution(
  ctx: RedisContext,
  executionId: string,
  now: Date,
): Promise<ExecutionRecord> {
  const reply = await ctx.executor.run("resumeExecution", executionId, [
    executionId,
    millis(now),
    ctx.origin,
  ]);
  ctx.emit("resumed", executionId);
  return parseRow(reply as string[]) as ExecutionRecord;
}
