import { ExecutionNotFoundError, ExecutionNotRetryableError } from "@zart/core";
import { type ExecutionRecord, RETRYABLE_STATUSES, sqlList } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import { type ExecutionRow, toExecutionRecord } from "../db/rows.js";
import { CLEAR_LEASE } from "../sql/fragments.js";
import type { WakeUps } from "../wake-ups/wake-ups.js";

/**
 * The operator's retry of a failed or cancelled execution, in one statement: the UPDATE's WHERE
 * on the status is re-checked on the newest row version after its lock, so of racing retries
 * exactly one matches. Unfinished steps are deleted FROM its result (completed ones stay), and a
 * `retry` NOTIFY is sent at commit. When nothing matched, a read tells unknown from not retryable.
 */
const restartSql = statement(
  "restart-execution",
  (n) => `
  WITH restarted AS (
    UPDATE ${n.executions} SET status = 'pending', attempt = 0, run_at = $2, error = NULL,
      completed_at = NULL, timeout_at = NULL, wait_reason = NULL, wait_event = NULL,
      unsettled_children = 0, released_by = NULL, ${CLEAR_LEASE}
    WHERE execution_id = $1 AND status IN (${sqlList(RETRYABLE_STATUSES)})
    RETURNING *
  ), unfinished AS (
    DELETE FROM ${n.steps} s USING restarted r
    WHERE s.execution_id = r.execution_id AND s.status <> 'completed'
  )
  SELECT r.*, pg_notify($3, $4)::text AS notified FROM restarted r`,
);

const statusSql = statement(
  "restart-status",
  (n) => `SELECT status FROM ${n.executions} WHERE execution_id = $1`,
);

/** Restarts a failed or cancelled execution; typed errors for an unknown or live/completed one. */
export async function restartExecution(
  db: Database,
  wakeUps: WakeUps,
  executionId: string,
  now: Date,
): Promise<ExecutionRecord> {
  const notify = wakeUps.notice("retry", executionId);
  const { rows } = await db.run<ExecutionRow>(restartSql, [executionId, now, ...notify]);
  const row = rows[0];
  if (row !== undefined) {
    wakeUps.emit("retry", executionId);
    return toExecutionRecord(row);
  }
  const found = await db.run<{ status: string }>(statusSql, [executionId]);
  const status = found.rows[0]?.status;
  if (status === undefined) throw new ExecutionNotFoundError(executionId);
  throw new ExecutionNotRetryableError(executionId, status);
}
