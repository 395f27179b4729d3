import { ExecutionNotFoundError, isTerminal } from "@zart/core";
import {
  type CompleteExecutionInput,
  type ExecutionPatch,
  type FailExecutionInput,
  type Lease,
  leaseLost,
  type RetryExecutionInput,
} from "@zart/core/store";
import { and, eq, ne, sql } from "drizzle-orm";
import { FENCED_ROW, fenceBindings, PATCH_SET, updateFenced } from "../fencing.js";
import { preparedPerConnection, raw } from "../prepared.js";
import { NO_LEASE, type Orm } from "../rows.js";
import { executions, steps } from "../schema.js";
import { unsettledChildOf } from "./dispatch-children.js";

/**
 * The verbs that end an attempt or an execution. Each is one transaction (the caller's
 * `BEGIN IMMEDIATE`); the fenced ones fence first, so a rejected write changes nothing.
 */

/** The columns of a terminal execution: it waits on nothing and nobody holds it. */
function terminal(status: "completed" | "failed" | "cancelled", now: Date) {
  return { status, completedAt: now, waitReason: null, waitEvent: null, ...NO_LEASE };
}

/** Cancels every unsettled child of the execution and clears their leases. */
export function cancelUnsettledChildren(orm: Orm, executionId: string, now: Date): void {
  orm
    .update(steps)
    .set({ status: "cancelled", completedAt: now, leaseToken: null, leaseExpiresAt: null, dueAt: null })
    .where(unsettledChildOf(executionId))
    .run();
}

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
export function completeExecution(
  orm: Orm,
  lease: Lease,
  input: CompleteExecutionInput,
  patch: ExecutionPatch,
  now: Date,
): void {
  const { changes } = statements(orm).complete.run({
    ...fenceBindings(lease, patch),
    result: input.result ?? null,
    now: now.getTime(),
  });
  if (changes === 0) throw leaseLost(lease);
}

/** Fenced: the execution fails with `error` at `now`; its unsettled children are cancelled. */
export function failExecution(
  orm: Orm,
  lease: Lease,
  input: FailExecutionInput,
  patch: ExecutionPatch,
  now: Date,
): void {
  updateFenced(orm, lease, patch, { ...terminal("failed", now), error: input.error });
  cancelUnsettledChildren(orm, lease.executionId, now);
}

/**
 * Fenced: ends the attempt for a retry at `runAt`: next attempt, `pending`, `error` recorded, lease
 * cleared, and every step that is not completed deleted (children included) so it runs again.
 */
export function retryExecution(
  orm: Orm,
  lease: Lease,
  input: RetryExecutionInput,
  patch: ExecutionPatch,
): void {
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
}

/**
 * Cancels a non-terminal execution (lease cleared, so its holder's next write fails) and its
 * unsettled children. Returns false when already terminal; unknown id → `ExecutionNotFoundError`.
 */
export function cancelExecution(orm: Orm, executionId: string, now: Date): boolean {
  const row = orm
    .select({ status: executions.status })
    .from(executions)
    .where(eq(executions.executionId, executionId))
    .get();
  if (row === undefined) throw new ExecutionNotFoundError(executionId);
  if (isTerminal(row.status)) return false;
  orm.update(executions).set(terminal("cancelled", now)).where(eq(executions.executionId, executionId)).run();
  cancelUnsettledChildren(orm, executionId, now);
  return true;
}
