import { type CreateOutcome, ExecutionAlreadyExistsError } from "@zart/core";
import type { NewExecution } from "@zart/core/store";
import type { SqliteContext } from "../db/context.js";
import { insertExecution } from "./create-execution.js";

/**
 * Each item as `createExecution` (a terminal id replaced, a held one answered `exists`), all in
 * one `BEGIN IMMEDIATE` transaction; one wake-up for the batch.
 */
export async function createExecutions(
  ctx: SqliteContext,
  inputs: readonly NewExecution[],
  now: Date,
): Promise<CreateOutcome[]> {
  const outcomes = await ctx.write(() =>
    inputs.map((input): CreateOutcome => {
      try {
        insertExecution(ctx.orm, input, now);
        return "created";
      } catch (error) {
        if (error instanceof ExecutionAlreadyExistsError) return "exists";
        throw error;
      }
    }),
  );
  const first = inputs[outcomes.indexOf("created")];
  if (first !== undefined) ctx.emit("created", first.executionId);
  return outcomes;
}
