import { randomUUID } from "node:crypto";
import { ExecutionAlreadyExistsError } from "@zart/core";
import type { ExecutionRecord, ForkExecutionInput } from "@zart/core/store";
import { millis, optional } from "../db/args.js";
import { parseRow } from "../db/codec.js";
import type { RedisContext } from "../db/context.js";

/** Creates a rerun of an execution whose history is its settled steps before `fromStep`. */
export async function forkExecution(
  ctx: RedisContext,
  input: ForkExecutionInput,
  now: Date,
): Promise<ExecutionRecord> {
  const args = [input.sourceId, input.executionId, input.fromStep, optional(input.payload), millis(now)];
  const reply = await ctx.executor
    .run(
      "forkExecution",
      input.sourceId,
      [
        ...args,
        ctx.origin,
        randomUUID(),
        optional(input.traceContext),
        optional(input.concurrencyKey),
        optional(input.rateKey),
      ],
      {
        executionId: input.sourceId,
        step: input.fromStep,
      },
    )
    .catch((error: unknown) => {
      throw error instanceof ExecutionAlreadyExistsError
        ? new ExecutionAlreadyExistsError(input.executionId)
        : error;
    });
  ctx.emit("created", input.executionId);
  return parseRow(reply as string[]) as ExecutionRecord;
}
