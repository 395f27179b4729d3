import { randomUUID } from "node:crypto";
import type { CreateOutcome, NewExecution } from "@zart/core/store";
import { millis } from "../db/args.js";
import type { RedisContext } from "../db/context.js";

/** Each item as `createExecution`, all in one script; one `created` wake-up for the batch. */
export async function createExecutions(
  ctx: RedisContext,
  inputs: readonly NewExecution[],
  now: Date,
): Promise<CreateOutcome[]> {
  const items = inputs.flatMap((input) => [
    input.executionId,
    input.taskName,
    input.payload,
    millis(input.runAt),
    input.priority === undefined ? "" : String(input.priority),
    input.concurrencyKey ?? "",
    input.traceContext ?? "",
    input.version ?? "",
    input.rateKey ?? "",
  ]);
  const flags = (await ctx.executor.runGlobal("createExecutions", [
    millis(now),
    ctx.origin,
    randomUUID(),
    ...items,
  ])) as number[];
  const outcomes = flags.map((flag): CreateOutcome => (flag === 1 ? "created" : "exists"));
  const first = inputs[outcomes.indexOf("created")];
  if (first !== undefined) ctx.emit("created", first.executionId);
  return outcomes;
}
