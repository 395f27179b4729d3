import {
  ExecutionNotFoundError,
  ExecutionNotPausableError,
  ExecutionNotPausedError,
  isTerminal,
} from "@zart/core";
import type { ExecutionRecord } from "@zart/core/store";
import { eq } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { NO_LEASE, type Orm, toExecutionRecord } from "../db/rows.js";
import { executions } from "../db/schema.js";

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
 * The operator's pause, in one `BEGIN IMMEDIATE` transaction: a live execution becomes
 * `paused` with its wake time, wait and lease cleared; an already paused one is returned as it is.
 */
export async function pauseExecution(
  ctx: SqliteContext,
  executionId: string,
  _now: Date,
): Promise<ExecutionRecord> {
  const { orm } = ctx;
  return ctx.write(() => {
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
  });
}

/** The operator's resume, in one `BEGIN IMMEDIATE` transaction: paused → pending, due now. */
export async function resumeExecution(
  ctx: SqliteContext,
  executionId: string,
  now: Date,
): Promise<ExecutionRecord> {
  const { orm } = ctx;
  const record = await ctx.write(() => {
    const status = statusOf(orm, executionId);
    if (status !== "paused") throw new ExecutionNotPausedError(executionId, status);
    const row = orm
      .update(executions)
      .set({ status: "pending", runAt: now })
      .where(eq(executions.executionId, executionId))
      .returning()
      .get();
    return toExecutionRecord(row);
  });
  ctx.emit("resumed", executionId);
  return record;
}
