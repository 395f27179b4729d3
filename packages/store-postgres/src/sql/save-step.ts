import type { ExecutionPatch, Lease, StepWrite } from "@zart/core";
import { WriteCoalescer } from "../db/coalescer.js";
import { type Database, statement } from "../db/database.js";
import { stepParams } from "./fragments.js";

/**
 * The hot path: concurrent step writes of one scheduler instance are coalesced (`WriteCoalescer`:
 * while a batch is in flight, new calls queue and go together as the next batch, at most
 * `MAX_BATCH`, never two of one execution) and sent as ONE statement: one round trip and one
 * commit (WAL flush) for the whole batch instead of one per step. A lone write goes at once.
 *
 * Each write is fenced on its own: the batch arrives as parallel arrays, `unnest`ed into `input`.
 *
 * Locking: `locked` joins `input` to the execution rows `WHERE lease_token = token` and takes
 * their row locks `ORDER BY execution_id FOR UPDATE` (LockRows sits above the Sort, so the locks
 * are taken in execution-id order: two batches sharing executions, e.g. from two processes after a
 * takeover, cannot deadlock). Under READ COMMITTED a row changed by a concurrent claim/cancel that
 * committed first is re-checked on its newest version, so a stale holder's row drops out (its
 * caller gets `LeaseLostError`) while the others go on. `fence` then UPDATEs exactly those rows
 * (already locked by us: it waits for nothing) and the step upserts join the fence, so a write
 * whose fence failed writes nothing, and steps are written after their execution row is locked:
 * executions before steps, the lock order of every statement here. The statement returns the
 * fenced ids. Since a batch holds at most one write per execution, no upsert touches a row twice,
 * and two writes of one execution (concurrent `ctx.step`s) commit in call order, one batch apart.
 *
 * The fence is an UPDATE (a new row version) even when the patch is empty, rather than a mere row
 * lock: a claim racing this write detects it by the execution row's `xmin` (see `claim`), which
 * only a new row version changes.
 *
 * Retries: the statement is idempotent per write (same position, same values, same token), so
 * `Database.retrying` re-runs the whole batch after a connection fault whose commit outcome is
 * unknown.
 *
 * Measured (bench W1: 5,000 executions × 3 no-op steps, one worker process at concurrency 32, on
 * 2 cores; together with the batched `complete-execution`): 493 → see the package README.
 */
const saveStepsSql = statement(
  "save-step",
  (n) => `
  WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::int[], $6::text[],
      $7::text[], $8::text[], $9::text[], $10::text[], $11::int[], $12::timestamptz[], $13::timestamptz[],
      $14::timestamptz[])
      AS i(execution_id, token, data, timeout_at, position, name, kind, status, result, error, attempts,
        wake_at, started_at, completed_at)
  ), locked AS (
    SELECT x.execution_id, i.token, i.data, i.timeout_at
    FROM input i JOIN ${n.executions} x ON x.execution_id = i.execution_id AND x.lease_token = i.token
    ORDER BY x.execution_id
    FOR UPDATE OF x
  ), fence AS (
    UPDATE ${n.executions} e
    SET data = COALESCE(l.data, e.data), timeout_at = COALESCE(l.timeout_at, e.timeout_at)
    FROM locked l
    WHERE e.execution_id = l.execution_id AND e.lease_token = l.token
    RETURNING e.execution_id
  ), step AS (
    INSERT INTO ${n.steps} AS s
      (execution_id, position, name, kind, status, result, error, attempts, wake_at, started_at, completed_at)
    SELECT i.execution_id, i.position, i.name, i.kind, i.status, i.result, i.error::jsonb, i.attempts,
      i.wake_at, i.started_at, i.completed_at
    FROM input i JOIN fence f ON f.execution_id = i.execution_id
    ON CONFLICT (execution_id, position) DO UPDATE SET
      name = excluded.name, kind = excluded.kind, status = excluded.status, result = excluded.result,
      error = excluded.error, attempts = excluded.attempts, wake_at = excluded.wake_at,
      started_at = excluded.started_at, completed_at = excluded.completed_at,
      ready_at = NULL, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL
  )
  SELECT execution_id FROM fence`,
);

/** The most writes sent in one statement. */
const MAX_BATCH = 64;

interface StepSave {
  lease: Lease;
  step: StepWrite;
  patch: ExecutionPatch;
}

/** One batch as the statement's parallel arrays (a column per parameter). */
function batchParams(saves: StepSave[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 14 }, () => []);
  for (const { lease, step, patch } of saves) {
    const row = [
      lease.executionId,
      lease.token,
      patch.data ?? null,
      patch.timeoutAt ?? null,
      ...stepParams(step),
    ];
    for (const [i, value] of row.entries()) columns[i]!.push(value);
  }
  return columns;
}

async function flush(db: Database, saves: StepSave[]): Promise<(Error | undefined)[]> {
  const { result, uncertain } = await db.retrying<{ execution_id: string }>(saveStepsSql, batchParams(saves));
  const fenced = new Set(result.rows.map((row) => row.execution_id));
  return db.fenceOutcomes(
    saves.map((save) => save.lease),
    fenced,
    uncertain,
  );
}

/** Fenced: inserts or replaces the step row at `step.position` and applies the patch. */
export async function saveStep(
  db: Database,
  lease: Lease,
  step: StepWrite,
  patch: ExecutionPatch,
): Promise<void> {
  db.ensureOpen();
  const coalescer = db.local(
    "save-step",
    () =>
      new WriteCoalescer<StepSave>({
        maxBatch: MAX_BATCH,
        keyOf: (save) => save.lease.executionId,
        flush: (saves) => flush(db, saves),
      }),
  );
  await coalescer.submit({ lease, step, patch });
}
