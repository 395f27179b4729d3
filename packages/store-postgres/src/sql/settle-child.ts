import type { ChildLease, ChildOutcome } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import { fencedBy, GIVE_UP_LEASE } from "./fragments.js";

/**
 * Records a parallel child's outcome and, if it was the last unsettled child of a parent waiting
 * on its children, makes the parent due now — exactly one settle does.
 *
 * Locking: the parent row is locked FIRST (`FOR UPDATE`; same order as every other statement, so
 * a settle cannot deadlock with a cancel or a failure that locks parent then children). Then the
 * child row is updated, fenced by the child's token (a cancelled or taken-over child matches
 * nothing). Then the parent's `unsettled_children` counter is decremented: an UPDATE of a locked
 * row computes from its newest version, so two settles racing for the last two children see 2
 * then 1, and only the one that reaches 0 wakes the parent (counting child rows instead would read
 * a stale snapshot and could wake the parent twice or never). `p` holds the parent's values before
 * our update (we hold its lock), which tells whether this settle woke it; a `child` NOTIFY is
 * sent at commit if so.
 */
const settleSql = statement(
  "settle-child",
  (n) => `
  WITH p AS (
    SELECT execution_id, status, wait_reason, unsettled_children FROM ${n.executions}
    WHERE execution_id = $1 FOR UPDATE
  ), child AS (
    UPDATE ${n.steps} s SET status = $4, result = $5::text, error = $6::jsonb, attempts = $7,
      completed_at = $8, ready_at = NULL, ${GIVE_UP_LEASE}
    FROM p
    WHERE s.execution_id = p.execution_id AND s.position = $2 AND s.lease_token = $3
    RETURNING s.execution_id
  ), parent AS (
    UPDATE ${n.executions} e SET unsettled_children = e.unsettled_children - 1,
      status = CASE WHEN e.unsettled_children = 1 AND e.status = 'waiting' AND e.wait_reason = 'children'
        THEN 'pending' ELSE e.status END,
      run_at = CASE WHEN e.unsettled_children = 1 AND e.status = 'waiting' AND e.wait_reason = 'children'
        THEN $8::timestamptz ELSE e.run_at END,
      wait_reason = CASE WHEN e.unsettled_children = 1 AND e.status = 'waiting' AND e.wait_reason = 'children'
        THEN NULL ELSE e.wait_reason END
    FROM child c WHERE e.execution_id = c.execution_id
  ), woke AS (
    SELECT EXISTS (SELECT 1 FROM child) AND p.unsettled_children = 1 AND p.status = 'waiting'
      AND p.wait_reason = 'children' AS woke
    FROM p
  )
  SELECT (SELECT count(*) FROM child)::int AS fenced, w.woke,
    CASE WHEN w.woke THEN pg_notify($9, $10)::text END AS notified
  FROM woke w`,
);

/** Fenced by the child's lease: records its outcome; returns whether it woke the parent. */
export async function settleChild(
  db: Database,
  lease: ChildLease,
  outcome: ChildOutcome,
  now: Date,
  notify: [string, string],
): Promise<boolean> {
  const { result, replayed } = await db.fenced<{ fenced: number; woke: boolean }>(
    settleSql,
    [
      lease.executionId,
      lease.childPosition,
      lease.token,
      outcome.status,
      outcome.result ?? null,
      outcome.error === undefined ? null : JSON.stringify(outcome.error),
      outcome.attempts,
      now,
      ...notify,
    ],
    fencedBy(lease),
  );
  return !replayed && result.rows[0]?.woke === true;
}
