import { StoreUnavailableError } from "@zart/core";
import {
  type AnyEventWaitOutcome,
  type AwaitAnyEventInput,
  type AwaitEventInput,
  type EventWaitOutcome,
  type ExecutionPatch,
  joinWaitEvents,
  type Lease,
} from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import { patchSet } from "./fragments.js";

/**
 * Decides an event wait in one statement: consume the oldest unconsumed event of that name →
 * `received` (once the deadline has passed, only if it was offered at or before it); else the
 * deadline has passed → `timeout` (mailbox untouched); else park → `suspended`.
 *
 * Locking and the lost-wake-up race: the fence UPDATE locks the execution row (offers lock it
 * too, so waits and offers on one execution serialize). The mailbox, however, is read in the
 * statement's snapshot, taken before the lock: an offer that committed while we waited for the
 * lock is invisible to it. Every offer bumps `executions.event_count` under that lock, and the
 * UPDATE sees the newest row version, so comparing its `event_count` with the snapshot's detects
 * exactly that case: we then park nothing, write no step, and report `conflict`; the caller
 * re-runs the statement, whose new snapshot sees the offer. An offer can therefore never slip
 * between the mailbox check and the suspension, and a concurrent offer that commits after us
 * finds the execution parked and wakes it. A timeout is checked the same way, since the unseen
 * offer may have been made at or before the deadline.
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
  ), fence AS (
    UPDATE ${n.executions} e SET ${patchSet(3, 4)},
      status = CASE WHEN d.outcome = 'suspended' AND e.event_count = d.seen_count THEN 'waiting' ELSE e.status END,
      wait_reason = CASE WHEN d.outcome = 'suspended' AND e.event_count = d.seen_count THEN 'event' ELSE e.wait_reason END,
      wait_event = CASE WHEN d.outcome = 'suspended' AND e.event_count = d.seen_count THEN $7 ELSE e.wait_event END,
      run_at = CASE WHEN d.outcome = 'suspended' AND e.event_count = d.seen_count THEN $9::timestamptz ELSE e.run_at END,
      released_by = CASE WHEN d.outcome = 'suspended' AND e.event_count = d.seen_count THEN e.lease_token ELSE e.released_by END,
      lease_owner = CASE WHEN d.outcome = 'suspended' AND e.event_count = d.seen_count THEN NULL ELSE e.lease_owner END,
      lease_token = CASE WHEN d.outcome = 'suspended' AND e.event_count = d.seen_count THEN NULL ELSE e.lease_token END,
      lease_expires_at = CASE WHEN d.outcome = 'suspended' AND e.event_count = d.seen_count THEN NULL ELSE e.lease_expires_at END
    FROM decision d
    WHERE e.execution_id = $1 AND e.lease_token = $2
    RETURNING e.execution_id,
      CASE WHEN d.outcome IN ('suspended', 'timeout') AND e.event_count <> d.seen_count THEN 'conflict'
        ELSE d.outcome END AS outcome
  ), consumed AS (
    UPDATE ${n.events} v SET consumed_at = $10
    FROM next_event x, fence f
    WHERE f.outcome = 'received' AND v.execution_id = $1 AND v.sequence = x.sequence
  ), step AS (
    INSERT INTO ${n.steps} AS s
      (execution_id, position, name, kind, status, result, error, attempts, wake_at, started_at, completed_at)
    SELECT f.execution_id, $5, $6, 'event',
      CASE f.outcome WHEN 'received' THEN 'completed' WHEN 'timeout' THEN 'failed' ELSE 'waiting' END,
      CASE WHEN f.outcome = 'received' THEN (SELECT ${result} FROM next_event x) END,
      CASE WHEN f.outcome = 'timeout' THEN $11::jsonb END,
      1, $8::timestamptz, COALESCE((SELECT started_at FROM previous), $10::timestamptz),
      CASE WHEN f.outcome IN ('received', 'timeout') THEN $10::timestamptz END
    FROM fence f WHERE f.outcome IN ('received', 'timeout', 'suspended')
    ON CONFLICT (execution_id, position) DO UPDATE SET
      name = excluded.name, kind = excluded.kind, status = excluded.status, result = excluded.result,
      error = excluded.error, attempts = excluded.attempts, wake_at = excluded.wake_at,
      started_at = excluded.started_at, completed_at = excluded.completed_at
  )
  SELECT f.outcome,
    CASE f.outcome
      WHEN 'received' THEN (SELECT payload FROM next_event)
      WHEN 'replayed-received' THEN (SELECT ${any ? "((result::jsonb) -> 'payload')::text" : "result"} FROM previous)
    END AS payload,
    CASE f.outcome
      WHEN 'received' THEN (SELECT event_name FROM next_event)
      WHEN 'replayed-received' THEN (SELECT ${any ? "(result::jsonb) ->> 'name'" : "$7"} FROM previous)
    END AS event_name
  FROM fence f`,
  );
}

const awaitEventSql = awaitSql(false);
const awaitAnyEventSql = awaitSql(true);

interface AwaitRow {
  outcome: "received" | "timeout" | "suspended" | "conflict" | "replayed-received" | "replayed-timeout";
  payload: string | null;
  event_name: string | null;
}

/** Re-runs allowed when an offer races the wait (each needs a new offer committing meanwhile). */
const MAX_CONFLICTS = 50;

/** Fenced and atomic with `offerEvent`: `received`, `timeout` or `suspended` (see the contract). */
export async function awaitEvent(
  db: Database,
  lease: Lease,
  input: AwaitEventInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<EventWaitOutcome> {
  const { eventName, ...rest } = input;
  const outcome = await decideWait(
    db,
    awaitEventSql,
    lease,
    { ...rest, eventNames: [eventName] },
    patch,
    now,
  );
  if (outcome.outcome !== "received") return outcome;
  return outcome.payload === null
    ? { outcome: "received" }
    : { outcome: "received", payload: outcome.payload };
}

/** `awaitEvent` over several names: the first offered among them (see the contract). */
export async function awaitAnyEvent(
  db: Database,
  lease: Lease,
  input: AwaitAnyEventInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<AnyEventWaitOutcome> {
  const outcome = await decideWait(db, awaitAnyEventSql, lease, input, patch, now);
  if (outcome.outcome !== "received") return outcome;
  return { outcome: "received", eventName: outcome.eventName, payload: outcome.payload ?? "null" };
}

type Decision =
  | { outcome: "received"; eventName: string; payload: string | null }
  | { outcome: "timeout" }
  | { outcome: "suspended" };

async function decideWait(
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
