import { randomUUID } from "node:crypto";
import type { DebounceInput, DebounceOutcome } from "@zart/core/store";
import { millis } from "../db/args.js";
import { parseRow } from "../db/codec.js";
import type { RedisContext } from "../db/context.js";

/** Updates the unclaimed holder of the (task, key) or creates the execution (one script). */
export async function debounceExecution(
  ctx: RedisContext,
  input: DebounceInput,
  now: Date,
): Promise<DebounceOutcome> {
  const { execution, key, timeoutMs } = input;
  const [starts, row] = (await ctx.executor.run("debounceExecution", execution.executionId, [
    execution.executionId,
    execution.taskName,
    execution.payload,
    millis(execution.runAt),
    millis(now),
    ctx.origin,
    randomUUID(),
    execution.priority === undefined ? "" : String(execution.priority),
    execution.concurrencyKey ?? "",
    execution.traceContext ?? "",
    execution.version ?? "",
    key,
    timeoutMs === undefined ? "" : String(timeoutMs),
    execution.rateKey ?? "",
  ])) as [number, string[]];
  if (starts === 1) ctx.emit("created", execution.executionId);
  return { execution: parseRow(row)!, starts };
}
