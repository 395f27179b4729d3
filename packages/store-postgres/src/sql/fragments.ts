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

/** What a step write sets: a `StepWrite`, or the same fields of a step built in the store. */
interface StepFields {
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
}

/** The ten parameters of a step write, in the order of `stepPlaceholders`. */
export function stepParams(step: StepFields): unknown[] {
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
 * The select list of a step write passed as `stepParams(step)` from parameter `$first` on (arrays of
 * them with `"[]"`): the statement says where the ten parameters start, this file alone what each
 * of them means.
 */
export function stepPlaceholders(first: number, array: "" | "[]" = ""): string {
  const p = (i: number, type: string) => `$${first + i}::${type}${array}`;
  return `${p(0, "int")}, ${p(1, "text")}, ${p(2, "text")}, ${p(3, "text")}, ${p(4, "text")}, ${p(5, "jsonb")},
      ${p(6, "int")}, ${p(7, "timestamptz")}, ${p(8, "timestamptz")}, ${p(9, "timestamptz")}`;
}

/** Names for the ten values of `stepPlaceholders`, e.g. for the columns of an `unnest`. */
export const STEP_FIELDS =
  "position, name, kind, status, result, error, attempts, wake_at, started_at, completed_at";

/**
 * The one step upsert of this store: inserts, or replaces, the step row at a position for each row
 * of `rows`, a SELECT whose columns are, in order: execution_id, position, name, kind, status,
 * result, error (jsonb), attempts, wake_at, started_at, completed_at (`stepPlaceholders` gives all
 * but the first). A replaced row loses any child lease (it is no longer a leased parallel child).
 */
export function upsertStep(n: SchemaNames, rows: string, { traceContext = false } = {}): string {
  // An event wait's rows end with the consumed event's trace context; every other write clears it.
  return `INSERT INTO ${n.steps} AS s
      (execution_id, position, name, kind, status, result, error, attempts, wake_at, started_at, completed_at
        ${traceContext ? ", trace_context" : ""})
    ${rows}
    ON CONFLICT (execution_id, position) DO UPDATE SET
      name = excluded.name, kind = excluded.kind, status = excluded.status, result = excluded.result,
      error = excluded.error, attempts = excluded.attempts, wake_at = excluded.wake_at,
      started_at = excluded.started_at, completed_at = excluded.completed_at,
      trace_context = ${traceContext ? "excluded.trace_context" : "NULL"},
      ready_at = NULL, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL`;
}
