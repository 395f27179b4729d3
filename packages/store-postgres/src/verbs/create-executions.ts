import { type CreateOutcome, ExecutionAlreadyExistsError } from "@zart/core";
import type { NewExecution } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import { TERMINAL } from "../sql/fragments.js";
import type { WakeUps } from "../wake-ups/wake-ups.js";
import { createExecution } from "./create-execution.js";

/**
 * Inserts every absent id in one statement. The items travel as one `json` parameter (cheaper to
 * send than seven text arrays); rows are inserted in id order, so racing batches that share ids
 * take their key locks in one order and never deadlock; a racing loser's `DO NOTHING` leaves the
 * winner's row alone. Also returns the ids held by a terminal execution in the statement's
 * snapshot, which `createExecution` then replaces. One `created` NOTIFY when anything was inserted.
 */
const createManySql = statement(
  "create-executions",
  (n) => `
  WITH input AS (
    SELECT * FROM json_to_recordset($1::json) AS i(execution_id text, task_name text, payload text,
      run_at timestamptz, priority integer, concurrency_key text, trace_context text, version text,
      rate_key text)
  ), inserted AS (
    INSERT INTO ${n.executions}
      (execution_id, task_name, payload, status, attempt, run_at, scheduled_at, created_at, priority, concurrency_key,
        trace_context, version, rate_key)
    SELECT execution_id, task_name, payload, 'pending', 0, run_at, run_at, $2, priority, concurrency_key,
      trace_context, version, rate_key
    FROM input ORDER BY execution_id
    ON CONFLICT (execution_id) DO NOTHING
    RETURNING execution_id
  )
  SELECT
    (SELECT array_agg(execution_id) FROM inserted) AS created,
    (SELECT array_agg(e.execution_id) FROM ${n.executions} e JOIN input i USING (execution_id)
      WHERE e.status IN ${TERMINAL}) AS terminal,
    CASE WHEN EXISTS (SELECT 1 FROM inserted) THEN pg_notify($3, $4)::text END AS notified`,
);

/**
 * Each item as `createExecution`: absent ids in one statement; an id a terminal execution holds is
 * replaced by `createExecution` itself (its run handling included), a held one answered `exists`.
 */
export async function createExecutions(
  db: Database,
  wakeUps: WakeUps,
  inputs: readonly NewExecution[],
  now: Date,
): Promise<CreateOutcome[]> {
  if (inputs.length === 0) return [];
  const first = (inputs[0] as NewExecution).executionId;
  const { rows } = await db.run<{ created: string[] | null; terminal: string[] | null }>(createManySql, [
    JSON.stringify(inputs.map(toItem)),
    now,
    ...wakeUps.notice("created", first),
  ]);
  const created = new Set(rows[0]?.created);
  const terminal = new Set(rows[0]?.terminal);
  if (created.size > 0) wakeUps.emit("created", first);
  const outcomes: CreateOutcome[] = [];
  for (const input of inputs) {
    if (created.has(input.executionId)) outcomes.push("created");
    else if (terminal.has(input.executionId)) outcomes.push(await replace(db, wakeUps, input, now));
    else outcomes.push("exists");
  }
  return outcomes;
}

function toItem(input: NewExecution) {
  return {
    execution_id: input.executionId,
    task_name: input.taskName,
    payload: input.payload,
    run_at: input.runAt.toISOString(),
    priority: input.priority ?? null,
    concurrency_key: input.concurrencyKey ?? null,
    trace_context: input.traceContext ?? null,
    version: input.version ?? null,
    rate_key: input.rateKey ?? null,
  };
}

async function replace(
  db: Database,
  wakeUps: WakeUps,
  input: NewExecution,
  now: Date,
): Promise<CreateOutcome> {
  try {
    await createExecution(db, wakeUps, input, now);
    return "created";
  } catch (error) {
    if (error instanceof ExecutionAlreadyExistsError) return "exists";
    throw error;
  }
}
