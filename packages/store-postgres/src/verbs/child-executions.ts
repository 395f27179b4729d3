import {
  type AwaitChildrenInput,
  type ChildWaitOutcome,
  type CompleteExecutionInput,
  ExecutionAlreadyExistsError,
  ExecutionNotFoundError,
  type ExecutionPatch,
  type FailExecutionInput,
  isTerminal,
  type Lease,
  leaseLost,
  type StartChildInput,
  type StepRecord,
} from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import { type ExecutionRow, type StepRow, toExecutionRecord, toStepRecord } from "../db/rows.js";
import { lockSql, type Notice, notifySql, type Query, queryOn, wakeParent } from "../sql/child-tree.js";
import { failParams, failSql } from "../sql/fail-statement.js";
import {
  CLEAR_LEASE,
  GIVE_UP_LEASE,
  patchSet,
  stepParams,
  stepPlaceholders,
  upsertStep,
} from "../sql/fragments.js";
import { REPLACES_ARCHIVED, replaceRunCtes, type StartRow, startRun } from "../sql/replace-run.js";
import type { WakeUps } from "../wake-ups/wake-ups.js";

/*
 * Child executions on PostgreSQL. Lock order, as everywhere in this store: parent before child.
 * Every write that settles a child execution (complete, fail, cancel) locks its parent's row first
 * and wakes it in the same transaction; `awaitChildExecutions` locks the parent (its fence) and
 * only then reads the children, with a fresh snapshot. So a settle either committed before that
 * read (the parent sees the child terminal) or waits for the parent's lock and then finds it
 * parked (and wakes it): no lost wake-up, and no lock cycle.
 */

const fenceSql = statement(
  "child-fence",
  (n) => `UPDATE ${n.executions} SET ${patchSet(3, 4)}
  WHERE execution_id = $1 AND lease_token = $2 RETURNING execution_id`,
);

const stepAtSql = statement(
  "child-step-at",
  (n) => `SELECT * FROM ${n.steps} WHERE execution_id = $1 AND position = $2`,
);

const createChildSql = statement(
  "create-child-execution",
  (n) => `
  WITH ${replaceRunCtes(n)}, upsert AS (
    INSERT INTO ${n.executions} AS e
      (execution_id, task_name, payload, status, attempt, run_at, scheduled_at, created_at, parent_id, detached, run)
    SELECT $1, $2::text, $3::text, 'pending', 0, $4::timestamptz, $4::timestamptz, $4::timestamptz, $5::text,
      $6::boolean, v.run
    FROM verdict v WHERE v.verdict IN ('insert', 'replace')
    ON CONFLICT (execution_id) DO UPDATE SET
      task_name = excluded.task_name, payload = excluded.payload, status = 'pending', result = NULL,
      error = NULL, data = NULL, attempt = 0, run_at = excluded.run_at, timeout_at = NULL,
      wait_reason = NULL, wait_event = NULL, scheduled_at = excluded.scheduled_at,
      created_at = excluded.created_at, started_at = NULL, completed_at = NULL, event_count = 0,
      unsettled_children = 0, released_by = NULL, parent_id = excluded.parent_id,
      detached = excluded.detached, run = excluded.run, ${CLEAR_LEASE}
    WHERE ${REPLACES_ARCHIVED}
    RETURNING e.execution_id
  ), old_steps AS (
    DELETE FROM ${n.steps} s USING upsert u WHERE s.execution_id = u.execution_id
  ), old_events AS (
    DELETE FROM ${n.events} v USING upsert u WHERE v.execution_id = u.execution_id
  )
  SELECT v.verdict, u.execution_id FROM verdict v LEFT JOIN upsert u ON true`,
);

const insertStepSql = statement("child-step", (n) =>
  upsertStep(n, `SELECT $1::text, ${stepPlaceholders(2)}`),
);

const childrenSql = statement(
  "child-rows",
  (n) => `SELECT * FROM ${n.executions} WHERE execution_id = ANY($1::text[])`,
);

const parkSql = statement(
  "child-park",
  (n) => `UPDATE ${n.executions} SET status = 'waiting', wait_reason = 'child-executions',
    wait_event = NULL, run_at = $2, ${GIVE_UP_LEASE}
  WHERE execution_id = $1`,
);

const completeSql = statement(
  "complete-child-execution",
  (n) => `UPDATE ${n.executions} SET ${patchSet(3, 4)}, status = 'completed', result = $5, error = NULL,
    completed_at = $6, wait_reason = NULL, wait_event = NULL, ${GIVE_UP_LEASE}
  WHERE execution_id = $1 AND lease_token = $2 RETURNING execution_id`,
);

async function fence(query: Query, lease: Lease, patch: ExecutionPatch): Promise<void> {
  const rows = await query(fenceSql, [
    lease.executionId,
    lease.token,
    patch.data ?? null,
    patch.timeoutAt ?? null,
  ]);
  if (rows.length === 0) throw leaseLost(lease);
}

/** Fenced, one transaction: creates the child and records the parent's `child` step, once per position. */
export async function startChildExecution(
  db: Database,
  wakeUps: WakeUps,
  lease: Lease,
  input: StartChildInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<StepRecord> {
  const { step, created } = await db.transaction(async (client) => {
    const query = queryOn(db, client);
    await fence(query, lease, patch);
    const [recorded] = await query<StepRow>(stepAtSql, [lease.executionId, input.position]);
    if (recorded !== undefined) return { step: toStepRecord(recorded), created: false };
    const { childId, taskName, payload, detached } = input;
    const values = [childId, taskName, payload, now, lease.executionId, detached];
    const created = await startRun(childId, async () => (await query<StartRow>(createChildSql, values))[0]);
    if (created === undefined) throw new ExecutionAlreadyExistsError(childId);
    const step: StepRecord = {
      position: input.position,
      name: input.stepName,
      kind: "child",
      status: "completed",
      result: JSON.stringify(childId),
      attempts: 1,
      startedAt: now,
      completedAt: now,
    };
    await query(insertStepSql, [lease.executionId, ...stepParams(step)]);
    await query(notifySql, wakeUps.notice("created", childId));
    return { step, created: true };
  });
  if (created) wakeUps.emit("created", input.childId);
  return step;
}

/** Fenced, one transaction: the children's rows when all are terminal; otherwise parks the parent. */
export function awaitChildExecutions(
  db: Database,
  lease: Lease,
  input: AwaitChildrenInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<ChildWaitOutcome> {
  return db.transaction(async (client) => {
    const query = queryOn(db, client);
    await fence(query, lease, patch);
    const rows = await query<ExecutionRow>(childrenSql, [input.childIds]);
    const byId = new Map(rows.map((row) => [row.execution_id, row]));
    const children = input.childIds.map((id) => {
      const row = byId.get(id);
      if (row === undefined) throw new ExecutionNotFoundError(id);
      return toExecutionRecord(row);
    });
    if (children.every((child) => isTerminal(child.status))) return { outcome: "settled", children };
    const step = {
      position: input.position,
      name: input.stepName,
      kind: "child",
      status: "waiting",
      attempts: 1,
      startedAt: now,
    };
    await query(insertStepSql, [lease.executionId, ...stepParams(step)]);
    await query(parkSql, [lease.executionId, input.wakeAt ?? null]);
    return { outcome: "suspended" };
  });
}

/**
 * Fenced, one transaction: completes or fails a child execution (`lease.parentId` set), its
 * parent's row locked first, and wakes the parent. Returns the parent's id when woken.
 */
export function settleChildExecution(
  db: Database,
  lease: Lease & { parentId: string },
  outcome: { complete: CompleteExecutionInput } | { fail: FailExecutionInput },
  patch: ExecutionPatch,
  now: Date,
  notice: Notice,
): Promise<string | undefined> {
  return db.transaction(async (client) => {
    const query = queryOn(db, client);
    await query(lockSql, [lease.parentId]);
    if ("complete" in outcome) {
      const rows = await query(completeSql, [
        lease.executionId,
        lease.token,
        patch.data ?? null,
        patch.timeoutAt ?? null,
        outcome.complete.result ?? null,
        now,
      ]);
      if (rows.length === 0) throw leaseLost(lease);
    } else {
      const [row] = await query<{ fenced: number }>(failSql, failParams(lease, outcome.fail, patch, now));
      if ((row?.fenced ?? 0) === 0) throw leaseLost(lease);
    }
    return wakeParent(query, lease.parentId, now, notice);
  });
}
