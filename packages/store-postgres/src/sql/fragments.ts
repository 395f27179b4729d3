import type { Lease } from "@zart/core/store";
import type pg from "pg";
import type { SchemaNames } from "../db/names.js";

/** The fence of a statement that returns `fenced` (the number of lease rows it matched). */
export function fencedBy(lease: Lease) {
  return {
    lease,
    matched: (result: pg.QueryResult<{ fenced: number }>) => (result.rows[0]?.fenced ?? 0) > 0,
  };
}

/** The fence of a single UPDATE: matched when it updated a row. */
export function updatedBy(lease: Lease) {
  return { lease, matched: (result: pg.QueryResult) => (result.rowCount ?? 0) > 0 };
}

/** SQL list of the terminal statuses (of executions, and of settled steps). */
export const TERMINAL = "('completed', 'failed', 'cancelled')";

/** SET items clearing a lease from outside (cancel, a failing parent): the holder's next write fails. */
export const CLEAR_LEASE = "lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL";

/**
 * SET items for a holder giving its own lease up (complete, suspend, settle…): as `CLEAR_LEASE`,
 * and the token is kept in `released_by` (the right-hand side reads the row before the update),
 * so a retry of this write after an unknown commit outcome can tell that it already committed.
 */
export const GIVE_UP_LEASE = `released_by = lease_token, ${CLEAR_LEASE}`;

/** SET items applying an `ExecutionPatch` given as parameters `$data` and `$timeout` (NULL = keep). */
export function patchSet(data: number, timeoutAt: number): string {
  return `data = COALESCE($${data}::text, data), timeout_at = COALESCE($${timeoutAt}::timestamptz, timeout_at)`;
}

/** The parameters of a step write, in the order `stepUpsert` expects them. */
export function stepParams(step: {
  position: number;
  name: string;
  kind: string;
  status: string;
  result?: string | undefined;
  error?: unknown;
  attempts: number;
  wakeAt?: Date | undefined;
  startedAt?: Date | undefined;
  completedAt?: Date | undefined;
}): unknown[] {
  return [
    step.position,
    step.name,
    step.kind,
    step.status,
    step.result ?? null,
    step.error === undefined ? null : JSON.stringify(step.error),
    step.attempts,
    step.wakeAt ?? null,
    step.startedAt ?? null,
    step.completedAt ?? null,
  ];
}

/**
 * `INSERT … SELECT … FROM <source>`: inserts or replaces the step row at a position for each
 * execution id `source` returns (none when the fence matched nothing). Takes ten parameters from
 * `$first` on, in `stepParams` order. A replaced row loses any child lease.
 */
export function stepUpsert(n: SchemaNames, source: string, first: number, where = "true"): string {
  const p = (i: number) => `$${first + i}`;
  return `INSERT INTO ${n.steps} AS s
      (execution_id, position, name, kind, status, result, error, attempts, wake_at, started_at, completed_at)
    SELECT execution_id, ${p(0)}::int, ${p(1)}::text, ${p(2)}::text, ${p(3)}::text, ${p(4)}::text, ${p(5)}::jsonb,
      ${p(6)}::int, ${p(7)}::timestamptz, ${p(8)}::timestamptz, ${p(9)}::timestamptz
    FROM ${source} WHERE ${where}
    ON CONFLICT (execution_id, position) DO UPDATE SET
      name = excluded.name, kind = excluded.kind, status = excluded.status, result = excluded.result,
      error = excluded.error, attempts = excluded.attempts, wake_at = excluded.wake_at,
      started_at = excluded.started_at, completed_at = excluded.completed_at,
      ready_at = NULL, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL`;
}
