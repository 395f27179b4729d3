import {
  type CompleteExecutionInput,
  type ExecutionPatch,
  type FailExecutionInput,
  type Lease,
  leaseLost,
  type RetryExecutionInput,
} from "@zart/core/store";
import { and, eq, ne, sql } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { FENCED_ROW, fenceBindings, PATCH_SET, updateFenced } from "../db/fencing.js";
import { preparedPerConnection, raw } from "../db/prepared.js";
import { NO_LEASE, terminal } from "../db/rows.js";
import { executions, steps } from "../db/schema.js";
import { wakeParent } from "./child-executions.js";
import { cancelUnsettledChildren } from "./dispatch-children.js";

/**
 * The verbs that end an attempt or an execution. Each is a savepoint of the `BEGIN IMMEDIATE`
 * transaction its turn's writes share (`ctx.writeBatched`); they fence first, so a rejected write
 * changes nothing.
 */

const statements = preparedPerConnection((orm) => ({
  // The last write of every execution: prepared. A completed execution has no error, so the one
  // an earlier failed attempt recorded is dropped.
  complete: orm
    .update(executions)
    .set({
      ...PATCH_SET,
      status: "completed",
      result: raw("result"),
      error: null,
      completedAt: raw("now"),
      waitReason: null,
      waitEvent: null,
      ...NO_LEASE,
    })
    .where(FENCED_ROW)
    .prepare(),
}));

/** Fenced: the execution completes with `result` at `now` (dropping an earlier attempt's error). */
export async function completeExecution(
  ctx: SqliteContext,
  lease: Lease,
  input: CompleteExecutionInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<void> {
  const { orm } = ctx;
  const parent = await ctx.writeBatched(() => {
    const { changes } = statements(orm).complete.run({
      ...fenceBindings(lease, patch),
      result: input.result ?? null,
      now: now.getTime(),
    });
    if (changes === 0) throw leaseLost(lease);
    return wakeParent(orm, lease.executionId, now);
  });
  if (parent !== undefined) ctx.emit("child", parent);
}

/** Fenced: the execution fails with `error` at `now`; its unsettled children are cancelled. */
export async function failExecution(
  ctx: SqliteContext,
  lease: Lease,
  input: FailExecutionInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<void> {
  const { orm } = ctx;
  const parent = await ctx.writeBatched(() => {
    updateFenced(orm, lease, patch, { ...terminal("failed", now), error: input.error });
    cancelUnsettledChildren(orm, lease.executionId, now);
    return wakeParent(orm, lease.executionId, now);
  });
  if (parent !== undefined) ctx.emit("child", parent);
}

/**
 * Fenced: ends the attempt for a retry at `runAt`: next attempt, `pending`, `error` recorded, lease
 * cleared, and every step that is not completed deleted (children included) so it runs again.
 */
export async function retryExecution(
  ctx: SqliteContext,
  lease: Lease,
  input: RetryExecutionInput,
  patch: ExecutionPatch,
  _now: Date,
): Promise<void> {
  const { orm } = ctx;
  await ctx.writeBatched(() => {
    updateFenced(orm, lease, patch, {
      attempt: sql`${executions.attempt} + 1`,
      status: "pending",
      runAt: input.runAt,
      error: input.error,
      waitReason: "retry",
      waitEvent: null,
      ...NO_LEASE,
    });
    orm
      .delete(steps)
      .where(and(eq(steps.executionId, lease.executionId), ne(steps.status, "completed")))
      .run();
  });
  ctx.emit("retry", lease.executionId);
}
