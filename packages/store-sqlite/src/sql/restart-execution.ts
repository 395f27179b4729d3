import { ExecutionNotFoundError, ExecutionNotRetryableError, RETRYABLE_STATUSES } from "@zart/core";
import type { ExecutionRecord } from "@zart/core/store";
import { and, eq, ne } from "drizzle-orm";
import { NO_LEASE, type Orm, toExecutionRecord } from "../rows.js";
import { executions, steps } from "../schema.js";

/**
 * The operator's retry of a failed or cancelled execution, in the caller's `BEGIN IMMEDIATE`
 * transaction (so of racing retries exactly one sees a retryable status): unfinished steps are
 * deleted, completed ones kept, and the execution is due now as a fresh attempt.
 */
export function restartExecution(orm: Orm, executionId: string, now: Date): ExecutionRecord {
  const row = orm
    .select({ status: executions.status })
    .from(executions)
    .where(eq(executions.executionId, executionId))
    .get();
  if (row === undefined) throw new ExecutionNotFoundError(executionId);
  if (!RETRYABLE_STATUSES.includes(row.status)) throw new ExecutionNotRetryableError(executionId, row.status);
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
}
