import type {
  CompleteExecutionInput,
  ExecutionPatch,
  FailExecutionInput,
  Lease,
  RetryExecutionInput,
} from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import { coalescedWrite } from "../sql/coalesced-writes.js";
import { failParams, failSql } from "../sql/fail-statement.js";
import { fencedBy, GIVE_UP_LEASE, patchSet } from "../sql/fragments.js";
import type { WakeUps } from "../wake-ups/wake-ups.js";
import { settleChildExecution } from "./child-executions.js";

/**
 * Ends a task attempt for a later retry: next attempt, pending at `runAt`, error recorded, lease
 * cleared, every step that is not completed deleted (children included), `retry` NOTIFY at commit.
 *
 * Locking: the fence UPDATE locks the execution row, then the DELETE (FROM the fence) locks step
 * rows. A child completed concurrently (committed first) is re-checked and kept; a child settling
 * after us finds its row gone and gets `LeaseLostError`.
 */
const retrySql = statement(
  "retry-execution",
  (n) => `
  WITH fence AS (
    UPDATE ${n.executions} SET ${patchSet(3, 4)}, attempt = attempt + 1, status = 'pending',
      run_at = $6, error = $5::jsonb, wait_reason = 'retry', wait_event = NULL, unsettled_children = 0, ${GIVE_UP_LEASE}
    WHERE execution_id = $1 AND lease_token = $2
    RETURNING execution_id
  ), doomed AS (
    DELETE FROM ${n.steps} s USING fence f
    WHERE s.execution_id = f.execution_id AND s.status <> 'completed'
  )
  SELECT count(*)::int AS fenced, CASE WHEN count(*) > 0 THEN pg_notify($7, $8) END AS notified
  FROM fence`,
);

/** Fenced: ends this attempt for a retry at `runAt`. */
export async function retryExecution(
  db: Database,
  wakeUps: WakeUps,
  lease: Lease,
  input: RetryExecutionInput,
  patch: ExecutionPatch,
): Promise<void> {
  await db.fenced<{ fenced: number }>(
    retrySql,
    [
      lease.executionId,
      lease.token,
      patch.data ?? null,
      patch.timeoutAt ?? null,
      JSON.stringify(input.error),
      input.runAt,
      ...wakeUps.notice("retry", lease.executionId),
    ],
    fencedBy(lease),
  );
  wakeUps.emit("retry", lease.executionId);
}

/**
 * The last write of a successful run: status `completed`, lease given up (`released_by` = token,
 * so a re-run after an unknown commit outcome matches nothing and is recognized as already done
 * instead of writing twice). Concurrent completions and step writes of one scheduler instance
 * share one statement, one round trip and one commit: see `coalesced-writes` for the statement,
 * its locking and its retries. The error of an earlier failed attempt is cleared: a completed
 * execution has no error. A child execution settles through its parent instead.
 */
export async function completeExecution(
  db: Database,
  wakeUps: WakeUps,
  lease: Lease,
  input: CompleteExecutionInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<void> {
  if (lease.kind === "execution" && lease.parentId !== undefined) {
    await settleAsChild(db, wakeUps, { ...lease, parentId: lease.parentId }, { complete: input }, patch, now);
  } else {
    await coalescedWrite(db, { lease, patch, completion: { result: input.result ?? null, now } });
  }
}

/** Fenced: status `failed`, `error`, `completedAt = now`, lease cleared, unsettled children cancelled. */
export async function failExecution(
  db: Database,
  wakeUps: WakeUps,
  lease: Lease,
  input: FailExecutionInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<void> {
  if (lease.kind === "execution" && lease.parentId !== undefined) {
    await settleAsChild(db, wakeUps, { ...lease, parentId: lease.parentId }, { fail: input }, patch, now);
  } else {
    await db.fenced<{ fenced: number }>(failSql, failParams(lease, input, patch, now), fencedBy(lease));
  }
}

/** A child execution's final write: its parent is locked first and woken (see `settleChildExecution`). */
async function settleAsChild(
  db: Database,
  wakeUps: WakeUps,
  lease: Lease & { parentId: string },
  outcome: Parameters<typeof settleChildExecution>[2],
  patch: ExecutionPatch,
  now: Date,
): Promise<void> {
  const woken = await settleChildExecution(db, lease, outcome, patch, now, wakeUps.notice);
  if (woken !== undefined) wakeUps.emit("child", woken);
}
