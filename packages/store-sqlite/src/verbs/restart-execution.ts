import { ExecutionNotFoundError, ExecutionNotRetryableError, RETRYABLE_STATUSES } from "@zart/core";
import type { ExecutionRecord } from "@zart/core/store";
import { and, eq, ne } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { NO_LEASE, toExecutionRecord } from "../db/rows.js";
import { executions, steps } from "../db/schema.js";

/**
 * The operator's retry of a failed or cancelled execution, in one `BEGIN IMMEDIATE`
 * transaction (so of racing retries exactly one sees a retryable status): unfinished steps are
 * deleted, completed ones kept, and the execution is due now as a fresh attempt.
 */
export async function restartExecution(
  ctx: SqliteContext,
  executionId: string,
  now: Date,
): Promise<ExecutionRecord> {
  const { orm } = ctx;
  const record = await ctx.write(() => {
    const row = orm
      .select({ status: executions.status })
      .from(executions)
      .where(eq(executions.executionId, executionId))
      .get();
    if (row === undefined) throw new ExecutionNotFoundError(executionId);
    if (!RETRYABLE_STATUSES.includes(row.status))
      throw new ExecutionNotRetryableError(executionId, row.status);
    orm
      .delete(steps)
      .where(and(eq(steps.executionId, executionId), ne(steps.status, "completed")))
      .run();
    const updated = orm
      .update(executions)
      .set({
        status: "pending",
        attempt: 0,
        runAt: now,
        error: null,
        completedAt: null,
        timeoutAt: null,
        waitReason: null,
        waitEvent: null,
        ...NO_LEASE,
      })
      .where(eq(executions.executionId, executionId))
      .returning()
      .get();
    return toExecutionRecord(updated);
  });
  ctx.emit("retry", executionId);
  return record;
}
