import type { ChildLease, ChildOutcome, RetryChildInput } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import { fencedBy, GIVE_UP_LEASE } from "../sql/fragments.js";
import type { WakeUps } from "../wake-ups/wake-ups.js";

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
 * a stale snapshot and could wake the parent twice or never). `p` holds the parent's newest values
 * before our update (we hold its lock), so `decision` computes once whether this settle wakes it
 * (as `awaitEvent` computes its verdict once): `woken` decrements and wakes, `counted` only
 * decrements, each matching the row only for its own decision, so the row is updated once; a
 * `child` NOTIFY is sent at commit if it woke.
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
  ), decision AS (
    SELECT EXISTS (SELECT 1 FROM child) AND p.unsettled_children = 1 AND p.status = 'waiting'
      AND p.wait_reason = 'children' AS woke
    FROM p
  ), woken AS (
    UPDATE ${n.executions} e SET unsettled_children = e.unsettled_children - 1, status = 'pending',
      run_at = $8::timestamptz, wait_reason = NULL
    FROM child c, decision d WHERE e.execution_id = c.execution_id AND d.woke
  ), counted AS (
    UPDATE ${n.executions} e SET unsettled_children = e.unsettled_children - 1
    FROM child c, decision d WHERE e.execution_id = c.execution_id AND NOT d.woke
  )
  SELECT (SELECT count(*) FROM child)::int AS fenced, d.woke,
    CASE WHEN d.woke THEN pg_notify($9, $10)::text END AS notified
  FROM decision d`,
);

/** Fenced by the child's lease: records its outcome; the settle that wakes the parent emits `child`. */
export async function settleChild(
  db: Database,
  wakeUps: WakeUps,
  lease: ChildLease,
  outcome: ChildOutcome,
  now: Date,
): Promise<void> {
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
      ...wakeUps.notice("child", lease.executionId),
    ],
    fencedBy(lease),
  );
  if (!replayed && result.rows[0]?.woke === true) wakeUps.emit("child", lease.executionId);
}

/**
 * Parks a failed attempt of a parallel child: `pending` with the error and attempts recorded and
 * `ready_at = wake_at = wakeAt`, lease cleared. The generated `due_at` follows `ready_at`, so the
 * claim (`due_at <= now`) takes the child again only once its backoff has ended.
 *
 * Locking: a single-row UPDATE by primary key fenced by the child's token (see `renewLease`).
 */
const retryChildSql = statement(
  "retry-child",
  (n) => `
  WITH parked AS (
    UPDATE ${n.steps} SET status = 'pending', error = $4::jsonb, attempts = $5, wake_at = $6,
      ready_at = $6, ${GIVE_UP_LEASE}
    WHERE execution_id = $1 AND position = $2 AND lease_token = $3
    RETURNING 1
  )
  SELECT count(*)::int AS fenced FROM parked`,
);

/** Fenced by the child's lease: parks its failed attempt until `input.wakeAt`. */
export async function retryChild(db: Database, lease: ChildLease, input: RetryChildInput): Promise<void> {
  const values = [
    lease.executionId,
    lease.childPosition,
    lease.token,
    JSON.stringify(input.error),
    input.attempts,
    input.wakeAt,
  ];
  await db.fenced(retryChildSql, values, fencedBy(lease));
}
