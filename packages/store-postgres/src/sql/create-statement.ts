import type { NewExecution } from "@zart/core/store";
import { statement } from "../db/database.js";
import { CLEAR_LEASE, TERMINAL } from "./fragments.js";

/**
 * Creates an execution, or replaces a terminal one of the same id (a new run), in one statement.
 *
 * Locking: `INSERT … ON CONFLICT DO UPDATE … WHERE status IN (terminal)`: two concurrent starts of
 * one id serialize on the primary key; the loser re-checks the WHERE on the winner's row (now
 * pending), updates nothing, and gets `ExecutionAlreadyExistsError`. The old run's steps and
 * events are deleted FROM the upsert's result, i.e. only when it created or replaced the row.
 * A `created` NOTIFY is sent at commit.
 */
export const createSql = statement(
  "create-execution",
  (n) => `
  WITH upsert AS (
    INSERT INTO ${n.executions} AS e
      (execution_id, task_name, payload, status, attempt, run_at, scheduled_at, created_at, priority, concurrency_key,
       version)
    VALUES ($1, $2, $3, 'pending', 0, $4, $4, $5, $8, $9, $10)
    ON CONFLICT (execution_id) DO UPDATE SET
      task_name = excluded.task_name, version = excluded.version, priority = excluded.priority,
      concurrency_key = excluded.concurrency_key, payload = excluded.payload, status = 'pending', result = NULL,
      error = NULL, data = NULL, attempt = 0, run_at = excluded.run_at, timeout_at = NULL,
      wait_reason = NULL, wait_event = NULL, scheduled_at = excluded.scheduled_at,
      created_at = excluded.created_at, started_at = NULL, completed_at = NULL, event_count = 0,
      unsettled_children = 0, released_by = NULL, ${CLEAR_LEASE}
    WHERE e.status IN ${TERMINAL}
    RETURNING e.*
  ), old_steps AS (
    DELETE FROM ${n.steps} s USING upsert u WHERE s.execution_id = u.execution_id
  ), old_events AS (
    DELETE FROM ${n.events} v USING upsert u WHERE v.execution_id = u.execution_id
  )
  SELECT u.*, pg_notify($6, $7)::text AS notified FROM upsert u`,
);

/** The parameters of `createSql`, in its order (shared by both create paths and signal-with-start). */
export function createParams(input: NewExecution, now: Date, notify: [string, string]): unknown[] {
  return [
    input.executionId,
    input.taskName,
    input.payload,
    input.runAt,
    now,
    ...notify,
    input.priority ?? null,
    input.concurrencyKey ?? null,
    input.version ?? null,
  ];
}
