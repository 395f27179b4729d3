import type { ExecutionPatch, Lease } from "@zart/core";
import { WriteCoalescer } from "../db/coalescer.js";
import { type Database, statement } from "../db/database.js";
import { GIVE_UP_LEASE } from "./fragments.js";

/**
 * The last write of a successful run. Concurrent completions of one scheduler instance are
 * coalesced like step writes (see `save-step`): one statement, one round trip, one commit per
 * batch, each completion fenced on its own; a lone completion goes at once.
 *
 * Locking: `locked` takes the row locks of the executions whose `lease_token` matches, in
 * execution-id order (`ORDER BY … FOR UPDATE`: LockRows above the Sort), re-checking the token on
 * the newest row version; the UPDATE then writes exactly those rows, already locked. Only execution
 * rows are touched. It gives the lease up (`released_by` = token), so a re-run after an unknown
 * commit outcome matches nothing and is recognized as already done (`Database.fenceOutcomes`)
 * instead of writing twice.
 */
const completeSql = statement(
  "complete-execution",
  (n) => `
  WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::timestamptz[])
      AS i(execution_id, token, data, timeout_at, result, completed_at)
  ), locked AS (
    SELECT x.execution_id, i.token, i.data, i.timeout_at, i.result, i.completed_at
    FROM input i JOIN ${n.executions} x ON x.execution_id = i.execution_id AND x.lease_token = i.token
    ORDER BY x.execution_id
    FOR UPDATE OF x
  )
  UPDATE ${n.executions} e SET data = COALESCE(l.data, e.data), timeout_at = COALESCE(l.timeout_at, e.timeout_at),
    status = 'completed', result = l.result, error = NULL, completed_at = l.completed_at,
    wait_reason = NULL, wait_event = NULL, ${GIVE_UP_LEASE}
  FROM locked l
  WHERE e.execution_id = l.execution_id AND e.lease_token = l.token
  RETURNING e.execution_id`,
);

/** The most completions sent in one statement. */
const MAX_BATCH = 64;

interface Completion {
  lease: Lease;
  result: string | null;
  patch: ExecutionPatch;
  now: Date;
}

async function flush(db: Database, completions: Completion[]): Promise<(Error | undefined)[]> {
  const values = [
    completions.map((c) => c.lease.executionId),
    completions.map((c) => c.lease.token),
    completions.map((c) => c.patch.data ?? null),
    completions.map((c) => c.patch.timeoutAt ?? null),
    completions.map((c) => c.result),
    completions.map((c) => c.now),
  ];
  const { result, uncertain } = await db.retrying<{ execution_id: string }>(completeSql, values);
  const fenced = new Set(result.rows.map((row) => row.execution_id));
  return db.fenceOutcomes(
    completions.map((c) => c.lease),
    fenced,
    uncertain,
  );
}

/**
 * Fenced: status `completed`, `result`, `completedAt = now`, lease cleared. The error of an earlier
 * failed attempt is cleared: a completed execution has no error.
 */
export async function completeExecution(
  db: Database,
  lease: Lease,
  input: { result?: string },
  patch: ExecutionPatch,
  now: Date,
): Promise<void> {
  db.ensureOpen();
  const coalescer = db.local(
    "complete-execution",
    () =>
      new WriteCoalescer<Completion>({
        maxBatch: MAX_BATCH,
        keyOf: (c) => c.lease.executionId,
        flush: (completions) => flush(db, completions),
      }),
  );
  await coalescer.submit({ lease, result: input.result ?? null, patch, now });
}
