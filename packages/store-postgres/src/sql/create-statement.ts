import type { NewExecution } from "@zart/core/store";
import { statement } from "../db/database.js";
import { CLEAR_LEASE } from "./fragments.js";
import { REPLACES_ARCHIVED, replaceRunCtes } from "./replace-run.js";

/**
 * Creates an execution, or replaces a terminal one of the same id as its next run (archiving the
 * finished one, see `replace-run.ts`), in one statement.
 *
 * Locking: `locked` takes the row lock of an existing id first; two concurrent starts of a
 * terminal id serialize on it, and the loser, whose snapshot is then stale, gets `conflict` and
 * re-runs, to find the winner's live row (`live`: `ExecutionAlreadyExistsError`). Two inserts of
 * an unknown id serialize on the primary key; the loser's upsert changes nothing and re-runs too.
 * The old run's steps and events are deleted FROM the upsert's result, i.e. only when it created
 * or replaced the row. A `created` NOTIFY is sent at commit when it did.
 */
export const createSql = statement(
  "create-execution",
  (n) => `
  WITH ${replaceRunCtes(n)}, upsert AS (
    INSERT INTO ${n.executions} AS e
      (execution_id, task_name, payload, status, attempt, run_at, scheduled_at, created_at, priority, concurrency_key, run,
        trace_context, version, rate_key)
    SELECT $1, $2::text, $3::text, 'pending', 0, $4::timestamptz, $4::timestamptz, $5::timestamptz, $8::int,
      $9::text, v.run, $10::text, $11::text, $12::text
    FROM verdict v WHERE v.verdict IN ('insert', 'replace')
    ON CONFLICT (execution_id) DO UPDATE SET
      task_name = excluded.task_name, version = excluded.version, priority = excluded.priority,
      trace_context = excluded.trace_context, rate_key = excluded.rate_key, rate_limited_until = NULL,
      concurrency_key = excluded.concurrency_key, payload = excluded.payload, status = 'pending', result = NULL,
      error = NULL, data = NULL, attempt = 0, run_at = excluded.run_at, timeout_at = NULL,
      wait_reason = NULL, wait_event = NULL, scheduled_at = excluded.scheduled_at,
      created_at = excluded.created_at, started_at = NULL, completed_at = NULL, event_count = 0,
      unsettled_children = 0, released_by = NULL, run = excluded.run, ${CLEAR_LEASE}
    WHERE ${REPLACES_ARCHIVED}
    RETURNING e.*
  ), old_steps AS (
    DELETE FROM ${n.steps} s USING upsert u WHERE s.execution_id = u.execution_id
  ), old_events AS (
    DELETE FROM ${n.events} v USING upsert u WHERE v.execution_id = u.execution_id
  )
  SELECT v.verdict, u.*, CASE WHEN u.execution_id IS NOT NULL THEN pg_notify($6, $7)::text END AS notified
  FROM verdict v LEFT JOIN upsert u ON true`,
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
    input.traceContext ?? null,
    input.version ?? null,
    input.rateKey ?? null,
  ];
}
