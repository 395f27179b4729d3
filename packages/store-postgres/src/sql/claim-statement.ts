import { type Statement, statement } from "../db/database.js";
import type { SchemaNames } from "../db/names.js";
import { TERMINAL } from "./fragments.js";

/**
 * An execution row's `claimKey` (its task name, then a newline and its version when it has one):
 * a version-less row's key is its task name, so the unversioned claim tests what it always did.
 */
export function claimKeyOf(alias?: string): string {
  const column = (name: string) => (alias === undefined ? name : `${alias}.${name}`);
  return `coalesce(${column("task_name")} || E'\\n' || ${column("version")}, ${column("task_name")})`;
}

/**
 * The claim statement (see `claimSql` in claim.ts) around its execution CTEs.
 *
 * Its commit does not wait for the WAL flush (`synchronous_commit` off for this transaction only,
 * set by `async_commit`, evaluated once a unit is chosen): a claim lost in a server crash is a
 * worker crash before the claim, since the fencing token it handed out is gone with it, so the
 * holder's first fenced write fails and the unit is claimed again. Every later synchronous commit
 * (the holder's step write, or any transaction that read the claim) flushes the WAL the claim
 * wrote first. On an idle server this takes the flush (~0.6 ms here) off the wake-up → first-step path.
 */
export function claimStatement(name: string, executionCtes: (n: SchemaNames) => string): Statement {
  return statement(
    name,
    (n) => `
  WITH ${executionCtes(n)}
  ), child_due AS (
    SELECT s.execution_id, s.position, s.due_at FROM ${n.steps} s
    WHERE s.due_at <= $1
      AND EXISTS (
        SELECT 1 FROM ${n.executions} p
        WHERE p.execution_id = s.execution_id AND p.status NOT IN ${TERMINAL}
          AND ${claimKeyOf("p")} = ANY($5::text[])
      )
    ORDER BY s.due_at, s.execution_id, s.position
    LIMIT $2
    FOR UPDATE OF s SKIP LOCKED
  ), chosen AS (
    SELECT execution_id, -1 AS position, due_at, priority, locked_xmin, taken_over FROM execution_due
    UNION ALL
    SELECT execution_id, -1, due_at, priority, locked_xmin, taken_over FROM prioritized_due
    UNION ALL
    SELECT execution_id, position, due_at, 0, NULL, false FROM child_due
    ORDER BY priority DESC, due_at, execution_id, position
    LIMIT $2
  ), async_commit AS (
    SELECT set_config('synchronous_commit', 'off', true)
  ), claimed_execution AS (
    UPDATE ${n.executions} e SET status = 'running', lease_owner = $3, lease_token = gen_random_uuid()::text,
      lease_expires_at = $4, started_at = COALESCE(e.started_at, $1), wait_reason = NULL, wait_event = NULL,
      rate_limited_until = NULL
    FROM chosen c
    WHERE c.position = -1 AND e.execution_id = c.execution_id
    RETURNING e.*
  ), claimed_child AS (
    UPDATE ${n.steps} s SET status = 'running', lease_owner = $3, lease_token = gen_random_uuid()::text,
      lease_expires_at = $4, started_at = COALESCE(s.started_at, $1)
    FROM chosen c
    WHERE c.position >= 0 AND s.execution_id = c.execution_id AND s.position = c.position
    RETURNING s.*
  )
  SELECT
    COALESCE(
      (SELECT row_to_json(ce) FROM claimed_execution ce WHERE ce.execution_id = c.execution_id),
      (SELECT row_to_json(e) FROM ${n.executions} e WHERE e.execution_id = c.execution_id)
    ) AS execution,
    (SELECT row_to_json(cc) FROM claimed_child cc
      WHERE c.position >= 0 AND cc.execution_id = c.execution_id AND cc.position = c.position) AS child,
    (SELECT json_agg(s ORDER BY s.position) FROM ${n.steps} s
      WHERE s.execution_id = c.execution_id AND (c.position < 0 OR s.position < c.position)) AS steps,
    c.taken_over OR c.locked_xmin IS DISTINCT FROM
      (SELECT x.xmin::text FROM ${n.executions} x WHERE c.position = -1 AND x.execution_id = c.execution_id)
      AS stale
  FROM chosen c CROSS JOIN async_commit
  ORDER BY c.priority DESC, c.due_at, c.execution_id, c.position`,
  );
}
