import { randomUUID } from "node:crypto";
import type { ExecutionRecord } from "@zart/core/store";
import { millis } from "../db/args.js";
import { parseRow } from "../db/codec.js";
import type { RedisContext } from "../db/context.js";

/** Restarts a failed or cancelled execution from its first unfinished step. */
export async function restartExecution(
  ctx: RedisContext,
  executionId: string,
  now: Date,
): Promise<ExecutionRecord> {
  const reply = await ctx.executor.run("restartExecution", executionId, [
    executionId,
    millis(now),
    ctx.origin,
    randomUUID(),
  ]);
  ctx.emit("retry", executionId);
  return parseRow(reply as string[]) as ExecutionRecord;
}
