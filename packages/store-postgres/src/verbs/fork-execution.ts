import { ExecutionAlreadyExistsError, ExecutionNotFoundError, StepNotFoundError } from "@zart/core";
import {
  type ExecutionRecord,
  type ForkExecutionInput,
  SETTLED_STEP_STATUSES,
  sqlList,
} from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import { type ExecutionRow, toExecutionRecord } from "../db/rows.js";
import type { WakeUps } from "../wake-ups/wake-ups.js";

/**
 * The operator's rerun, in one statement. `origin` finds the position of `fromStep`; the INSERT
 * creates the new row only when the source and that step exist, and `ON CONFLICT DO NOTHING` makes
 * racing forks to one id serialize on the primary key: the losers insert nothing. The steps are
 * copied FROM the insert's result, so only by the winner (the foreign key is checked at the end of
 * the statement, after the new row exists). A `created` NOTIFY is sent at commit. When nothing was
 * created, a read tells which check failed.
 */
const forkSql = statement(
  "fork-execution",
  (n) => `
  WITH origin AS (
    SELECT min(position) AS position FROM ${n.steps} WHERE execution_id = $1 AND name = $3
  ), created AS (
    INSERT INTO ${n.executions}
      (execution_id, task_name, payload, status, attempt, run_at, scheduled_at, created_at, priority,
       rerun_of, rerun_from_step, version, trace_context, concurrency_key, rate_key)
    SELECT $2, s.task_name, COALESCE($4::text, s.payload), 'pending', 0, $5, $5, $5, s.priority, $1, $3, s.version,
      $8::text, COALESCE($9::text, s.concurrency_key), COALESCE($10::text, s.rate_key)
    FROM ${n.executions} s, origin o
    WHERE s.execution_id = $1 AND o.position IS NOT NULL
    ON CONFLICT (execution_id) DO NOTHING
    RETURNING *
  ), copied AS (
    INSERT INTO ${n.steps}
      (execution_id, position, name, kind, status, result, error, attempts, wake_at, started_at, completed_at)
    SELECT c.execution_id, st.position, st.name, st.kind, st.status, st.result, st.error, st.attempts,
      st.wake_at, st.started_at, st.completed_at
    FROM created c, origin o, ${n.steps} st
    WHERE st.execution_id = $1 AND st.position < o.position
      AND st.status IN (${sqlList(SETTLED_STEP_STATUSES)})
  )
  SELECT c.*, pg_notify($6, $7)::text AS notified FROM created c`,
);

const whySql = statement(
  "fork-refusal",
  (n) => `
  SELECT EXISTS (SELECT 1 FROM ${n.executions} WHERE execution_id = $1) AS source,
    EXISTS (SELECT 1 FROM ${n.steps} WHERE execution_id = $1 AND name = $2) AS step`,
);

/** Forks an execution from a step; typed errors for an unknown source or step, or a taken id. */
export async function forkExecution(
  db: Database,
  wakeUps: WakeUps,
  input: ForkExecutionInput,
  now: Date,
): Promise<ExecutionRecord> {
  const notify = wakeUps.notice("created", input.executionId);
  const params = [
    input.sourceId,
    input.executionId,
    input.fromStep,
    input.payload ?? null,
    now,
    ...notify,
    input.traceContext ?? null,
    input.concurrencyKey ?? null,
    input.rateKey ?? null,
  ];
  const { rows } = await db.run<ExecutionRow>(forkSql, params);
  const row = rows[0];
  if (row !== undefined) {
    wakeUps.emit("created", input.executionId);
    return toExecutionRecord(row);
  }
  const why = await db.run<{ source: boolean; step: boolean }>(whySql, [input.sourceId, input.fromStep]);
  const found = why.rows[0];
  if (!found?.source) throw new ExecutionNotFoundError(input.sourceId);
  if (!found.step) throw new StepNotFoundError(input.sourceId, input.fromStep);
  throw new ExecutionAlreadyExistsError(input.executionId);
}
