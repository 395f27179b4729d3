import { StoreUnavailableError } from "@zart/core";
import { type AwaitAnyEventInput, type ExecutionPatch, joinWaitEvents, type Lease } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import { GIVE_UP_LEASE, patchSet, upsertStep } from "./fragments.js";

/**
 * Decides an event wait in one statement: consume the oldest unconsumed event of that name (of
 * any of its names, for an any-event wait) → `received` (once the deadline has passed, only if it was offered at or before it); else the
 * deadline has passed → `timeout` (mailbox untouched); else park → `suspended`.
 *
 * Locking and the lost-wake-up race: `locked` takes the execution row's lock (offers lock it too,
 * so waits and offers on one execution serialize) and, under READ COMMITTED, reads its newest
 * version. The mailbox, however, is read in the statement's snapshot, taken before the lock: an
 * offer that committed while we waited for the lock is invisible to it. Every offer bumps
 * `executions.event_count` under that lock, so comparing the locked `event_count` with the
 * snapshot's (`seen`) detects exactly that case: `verdict` then turns a park or a timeout into
 * `conflict`, we park nothing, write no step, and the caller re-runs the statement, whose new
 * snapshot sees the offer. An offer can therefore never slip between the mailbox check and the
 * suspension, and a concurrent offer that commits after us finds the execution parked and wakes
 * it. A timeout is checked the same way, since the unseen offer may have been made at or before
 * the deadline.
 *
 * The verdict is computed once: `parked` (outcome `suspended`) applies the patch, parks the
 * execution and gives the lease up; `patched` (every other outcome) only applies the patch. Each
 * matches the row only for its own verdict, so the row is updated once.
 *
 * Consuming needs no extra care: only the lease holder consumes, and offers only append rows with
 * larger sequences, so the snapshot's oldest unconsumed event is the oldest one.
 *
 * Idempotence (for re-runs after a connection fault): a step row already `completed` (or
 * `failed`) at this position means an earlier run of this very call committed; its outcome is
 * returned without consuming another event.
 */
function awaitSql(any: boolean) {
  // An any-event wait: $7 holds the names joined by newlines; the step records `{ name, payload }`.
  const names = any ? "event_name = ANY(string_to_array($7, E'\\n'))" : "event_name = $7";
  const result = any
    ? `'{"name":' || to_json(x.event_name)::text || ',"payload":' || x.payload || '}'`
    : "x.payload";
  return statement(
    any ? "await-any-event" : "await-event",
    (n) => `
  WITH seen AS (
    SELECT event_count FROM ${n.executions} WHERE execution_id = $1
  ), previous AS (
    SELECT status, result, started_at FROM ${n.steps} WHERE execution_id = $1 AND position = $5
  ), next_event AS (
    SELECT sequence, event_name, payload, offered_at FROM ${n.events}
    WHERE execution_id = $1 AND ${names} AND consumed_at IS NULL
    ORDER BY sequence LIMIT 1
  ), decision AS (
    SELECT CASE
        WHEN (SELECT status FROM previous) = 'completed' THEN 'replayed-received'
        WHEN (SELECT status FROM previous) = 'failed' THEN 'replayed-timeout'
        WHEN EXISTS (SELECT 1 FROM next_event WHERE $8::timestamptz IS NULL
          OR $8::timestamptz > $10::timestamptz OR offered_at <= $8::timestamptz) THEN 'received'
        WHEN $8::timestamptz IS NOT NULL AND $8::timestamptz <= $10::timestamptz THEN 'timeout'
        ELSE 'suspended'
      END AS outcome,
      (SELECT event_count FROM seen) AS seen_count
  ), locked AS (
    SELECT execution_id, event_count FROM ${n.executions}
    WHERE execution_id = $1 AND lease_token = $2
    FOR UPDATE
  ), verdict AS (
    SELECT l.execution_id,
      CASE WHEN d.outcome IN ('suspended', 'timeout') AND l.event_count <> d.seen_count THEN 'conflict'
        ELSE d.outcome END AS outcome
    FROM locked l, decision d
  ), parked AS (
    UPDATE ${n.executions} e SET ${patchSet(3, 4)}, status = 'waiting', wait_reason = 'event',
      wait_event = $7, run_at = $9::timestamptz, ${GIVE_UP_LEASE}
    FROM verdict v
    WHERE e.execution_id = v.execution_id AND v.outcome = 'suspended'
  ), patched AS (
    UPDATE ${n.executions} e SET ${patchSet(3, 4)}
    FROM verdict v
    WHERE e.execution_id = v.execution_id AND v.outcome <> 'suspended'
  ), consumed AS (
    UPDATE ${n.events} x SET consumed_at = $10
    FROM next_event ne, verdict v
    WHERE v.outcome = 'received' AND x.execution_id = $1 AND x.sequence = ne.sequence
  ), step AS (
    ${upsertStep(
      n,
      `SELECT v.execution_id, $5::int, $6::text, 'event',
        CASE v.outcome WHEN 'received' THEN 'completed' WHEN 'timeout' THEN 'failed' ELSE 'waiting' END,
        CASE WHEN v.outcome = 'received' THEN (SELECT ${result} FROM next_event x) END,
        CASE WHEN v.outcome = 'timeout' THEN $11::jsonb END,
        1, $8::timestamptz, COALESCE((SELECT started_at FROM previous), $10::timestamptz),
        CASE WHEN v.outcome IN ('received', 'timeout') THEN $10::timestamptz END
      FROM verdict v WHERE v.outcome IN ('received', 'timeout', 'suspended')`,
    )}
  )
  SELECT v.outcome,
    CASE v.outcome
      WHEN 'received' THEN (SELECT payload FROM next_event)
      WHEN 'replayed-received' THEN (SELECT ${any ? "((result::jsonb) -> 'payload')::text" : "result"} FROM previous)
    END AS payload,
    CASE v.outcome
      WHEN 'received' THEN (SELECT event_name FROM next_event)
      WHEN 'replayed-received' THEN (SELECT ${any ? "(result::jsonb) ->> 'name'" : "$7"} FROM previous)
    END AS event_name
  FROM verdict v`,
  );
}

export const awaitEventSql = awaitSql(false);
export const awaitAnyEventSql = awaitSql(true);

interface AwaitRow {
  outcome: "received" | "timeout" | "suspended" | "conflict" | "replayed-received" | "replayed-timeout";
  payload: string | null;
  event_name: string | null;
}

/** Re-runs allowed when an offer races the wait (each needs a new offer committing meanwhile). */
const MAX_CONFLICTS = 50;

/** The outcome of one event wait, as `awaitEvent` and `awaitAnyEvent` both return it. */
type Decision =
  | { outcome: "received"; eventName: string; payload: string | null }
  | { outcome: "timeout" }
  | { outcome: "suspended" };

/** Runs the wait statement `stmt`, re-running it while an offer races it (`conflict`). */
export async function decideWait(
  db: Database,
  stmt: typeof awaitEventSql,
  lease: Lease,
  input: AwaitAnyEventInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<Decision> {
  const values = [
    lease.executionId,
    lease.token,
    patch.data ?? null,
    patch.timeoutAt ?? null,
    input.position,
    input.stepName,
    joinWaitEvents(input.eventNames),
    input.deadline ?? null,
    input.wakeAt ?? null,
    now,
    JSON.stringify(input.timeoutError),
  ];
  for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
    const { result, replayed } = await db.fenced<AwaitRow>(stmt, values, {
      lease,
      matched: (r) => r.rows.length > 0,
    });
    // Only parking gives the lease up: a committed earlier attempt of this call suspended.
    if (replayed) return { outcome: "suspended" };
    const row = result.rows[0]!;
    switch (row.outcome) {
      case "conflict":
        continue;
      case "received":
      case "replayed-received":
        return { outcome: "received", eventName: row.event_name ?? "", payload: row.payload };
      case "timeout":
      case "replayed-timeout":
        return { outcome: "timeout" };
      case "suspended":
        return { outcome: "suspended" };
    }
  }
  throw new StoreUnavailableError(
    `Event wait on "${lease.executionId}" kept racing concurrent offers; retry the operation.`,
  );
}
