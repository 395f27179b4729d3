import {
  ExecutionNotFoundError,
  ExecutionNotPausableError,
  ExecutionNotPausedError,
  isTerminal,
} from "@zart/core";
import type { ExecutionRecord } from "@zart/core/store";
import { eq } from "drizzle-orm";
import { NO_LEASE, type Orm, toExecutionRecord } from "../rows.js";
import { executions } from "../schema.js";

/** The status of `executionId`; `ExecutionNotFoundError` when unknown. */
function statusOf(orm: Orm, executionId: string) {
  const row = orm
    .select({ status: executions.status })
    .from(executions)
    .where(eq(executions.executionId, executionId))
    .get();
  if (row === undefined) throw new ExecutionNotFoundError(executionId);
  return row.status;
}

/**
 * The operator's pause, in the caller's `BEGIN IMMEDIATE` transaction: a live execution becomes
 * `paused` with its wake time, wait and lease cleared; an already paused one is returned as it is.
 */
export function pauseExecution(orm: Orm, executionId: string): ExecutionRecord {
  const status = statusOf(orm, executionId);
  if (isTerminal(status)) throw new ExecutionNotPausableError(executionId, status);
  const where = eq(executions.executionId, executionId);
  const row =
    status === "paused"
      ? orm.select().from(executions).where(where).get()
      : orm
          .update(executions)
          .set({ status: "paused", runAt: null, waitReason: null, waitEvent: null, ...NO_LEASE })
          .where(where)
          .returning()
          .get();
  if (row === undefined) throw new ExecutionNotFoundError(executionId);
  return toExecutionRecord(row);
}

/** The operator's resume, in the caller's `BEGIN IMMEDIATE` transaction: paused → pending, due now. */
export function resumeExecution(orm: Orm, executionId: string, now: Date): ExecutionRecord {
  const status = statusOf(orm, executionId);
  if (status !== "paused") throw new ExecutionNotPausedError(executionId, status);
  const row = orm
    .update(executions)
    .set({ status: "pending", runAt: now })
    .where(eq(executions.executionId, executionId))
    .returning()
    .get();
  return toExecutionRecord(row);
}
