import { randomUUID } from "node:crypto";
import type { ExecutionRecord, NewExecution } from "@zart/core/store";
import { millis } from "../db/args.js";
import { parseRow } from "../db/codec.js";
import type { RedisContext } from "../db/context.js";

/** Creates a pending execution (replacing a terminal one); publishes `created`. */
export async function createExecution(
  ctx: RedisContext,
  input: NewExecution,
  now: Date,
): Promise<ExecutionRecord> {
  const row = await ctx.executor.run("createExecution", input.executionId, [
    input.executionId,
    input.taskName,
    input.payload,
    millis(input.runAt),
    millis(now),
    ctx.origin,
    randomUUID(),
    input.priority === undefined ? "" : String(input.priority),
    input.concurrencyKey ?? "",
    input.traceContext ?? "",
    input.version ?? "",
    input.rateKey ?? "",
  ]);
  ctx.emit("created", input.executionId);
  return parseRow(row as string[])!;
}
