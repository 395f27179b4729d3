import { ExecutionNotFoundError, ExecutionNotPausableError, ExecutionNotPausedError } from "@zart/core";
import { type ExecutionRecord, PAUSABLE_STATUSES, sqlList } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import { type ExecutionRow, toExecutionRecord } from "../db/rows.js";
import { CLEAR_LEASE } from "../sql/fragments.js";
import type { WakeUps } from "../wake-ups/wake-ups.js";

/**
 * The operator's pause, in one UPDATE whose WHERE on the status is re-checked on the newest row
 * version after its lock: a live execution becomes `paused` (wake time, wait and lease cleared, so
 * `due_at` is NULL and no claim sees it; the holder's next fenced write fails). When nothing
 * matched, a read tells unknown, already paused (returned as it is) and terminal apart.
 */
const pauseSql = statement(
  "pause-execution",
  (n) => `
  UPDATE ${n.executions} SET status = 'paused', run_at = NULL, wait_reason = NULL, wait_event = NULL,
    ${CLEAR_LEASE}
  WHERE execution_id = $1 AND status IN (${sqlList(PAUSABLE_STATUSES)})
  RETURNING *`,
);

/** The operator's resume: paused → pending, due now; a `resumed` NOTIFY at commit. */
const resumeSql = statement(
  "resume-execution",
  (n) => `
  WITH resumed AS (
    UPDATE ${n.executions} SET status = 'pending', run_at = $2
    WHERE execution_id = $1 AND status = 'paused'
    RETURNING *
  )
  SELECT r.*, pg_notify($3, $4)::text AS notified FROM resumed r`,
);

const rowSql = statement("pause-row", (n) => `SELECT * FROM ${n.executions} WHERE execution_id = $1`);

async function current(db: Database, executionId: string): Promise<ExecutionRow> {
  const row = (await db.run<ExecutionRow>(rowSql, [executionId])).rows[0];
  if (row === undefined) throw new ExecutionNotFoundError(executionId);
  return row;
}

export async function pauseExecution(db: Database, executionId: string): Promise<ExecutionRecord> {
  const updated = (await db.run<ExecutionRow>(pauseSql, [executionId])).rows[0];
  if (updated !== undefined) return toExecutionRecord(updated);
  const row = await current(db, executionId);
  if (row.status === "paused") return toExecutionRecord(row);
  throw new ExecutionNotPausableError(executionId, row.status);
}

export async function resumeExecution(
  db: Database,
  wakeUps: WakeUps,
  executionId: string,
  now: Date,
): Promise<ExecutionRecord> {
  const notify = wakeUps.notice("resumed", executionId);
  const resumed = (await db.run<ExecutionRow>(resumeSql, [executionId, now, ...notify])).rows[0];
  if (resumed !== undefined) {
    wakeUps.emit("resumed", executionId);
    return toExecutionRecord(resumed);
  }
  const row = await current(db, executionId);
  throw new ExecutionNotPausedError(executionId, row.status);
}
