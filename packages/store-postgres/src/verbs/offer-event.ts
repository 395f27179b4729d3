import { ExecutionNotFoundError, ExecutionTerminalError } from "@zart/core";
import type { NewExecution, OfferEventInput, OfferOutcome } from "@zart/core/store";
import type pg from "pg";
import { inCallerTransaction } from "../db/caller-transaction.js";
import { type Database, statement } from "../db/database.js";
import type { SchemaNames } from "../db/names.js";
import { createParams, createSql } from "../sql/create-statement.js";
import { TERMINAL } from "../sql/fragments.js";
import { type StartRow, startRun } from "../sql/replace-run.js";
import type { WakeUps } from "../wake-ups/wake-ups.js";

/**
 * Appends an event to the mailbox and wakes the execution if it waits on that name (alone, or
 * among the newline-joined names of an any-event wait; only a single-name wait is answered). When the
 * parked wait can still receive it (its step's deadline and the execution's wake time are both
 * after `now`), the same statement answers it: the event is appended consumed and the waiting
 * event step is completed with the payload, so the replay finds it in the claimed history.
 *
 * Locking: the execution row is locked first (`FOR UPDATE`, which returns its newest version),
 * so offers and event waits on one execution serialize, and the event's `sequence` is
 * `event_count + 1` read under that lock (FIFO in commit order). The INSERT's ON CONFLICT on the
 * unique (execution, idempotency key) index sees keys committed after our snapshot too, so a
 * re-sent key inserts nothing even when racing. The execution row's UPDATE (bump `event_count`,
 * maybe wake) runs FROM the insert, so a duplicate changes nothing. `awaitEvent` compares
 * `event_count` to close the "offer between mailbox check and suspension" race (see there).
 * An `event` NOTIFY is sent at commit when the offer was delivered.
 *
 * Answering the wait reads the steps and the idempotency keys in the statement's snapshot, which
 * predates the lock; it is only done when that snapshot is known to be current enough:
 * - no offer committed in between (the locked `event_count` equals the snapshot's), so a key
 *   absent from the snapshot is absent, and the INSERT does happen when the step is answered;
 * - the step UPDATE re-checks its row's newest version (`waiting`, deadline ahead); a wait step
 *   written after the snapshot is not found, and the offer then only wakes the execution (the
 *   replayed wait consumes the event, as without this shortcut).
 * The event is marked consumed only when the step UPDATE returned its row, so the two never part.
 * A claim whose snapshot predates this offer notices the execution row changed (its `xmin`) and
 * reads the history again (see `claim.ts`).
 */
export const offerSql = statement(
  "offer-event",
  (n) => `
  WITH p AS (
    SELECT execution_id, status, event_count, wait_reason, wait_event, run_at FROM ${n.executions}
    WHERE execution_id = $1 FOR UPDATE
  ), wait AS (
    SELECT s.position FROM ${n.steps} s, p
    WHERE s.execution_id = $1 AND s.kind = 'event' AND s.status = 'waiting'
      AND p.status = 'waiting' AND p.wait_reason = 'event' AND p.wait_event = $2
      AND (p.run_at IS NULL OR p.run_at > $5)
      AND p.event_count = (SELECT x.event_count FROM ${n.executions} x WHERE x.execution_id = $1)
      AND ($4::text IS NULL
        OR NOT EXISTS (SELECT 1 FROM ${n.events} k WHERE k.execution_id = $1 AND k.idempotency_key = $4))
    ORDER BY s.position DESC LIMIT 1
  ), received AS (
    UPDATE ${n.steps} s SET status = 'completed', result = $3, completed_at = $5
    FROM wait w
    WHERE s.execution_id = $1 AND s.position = w.position AND s.kind = 'event' AND s.status = 'waiting'
      AND (s.wake_at IS NULL OR s.wake_at > $5)
    RETURNING s.position
  ), inserted AS (
    INSERT INTO ${n.events}
      (execution_id, sequence, event_name, payload, idempotency_key, offered_at, consumed_at)
    SELECT p.execution_id, p.event_count + 1, $2, $3, $4, $5,
      CASE WHEN EXISTS (SELECT 1 FROM received) THEN $5 END
    FROM p WHERE p.status NOT IN ${TERMINAL}
    ON CONFLICT (execution_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING sequence
  ), woken AS (
    UPDATE ${n.executions} e SET event_count = i.sequence,
      status = CASE WHEN e.status = 'waiting' AND e.wait_reason = 'event' AND $2 = ANY(string_to_array(e.wait_event, E'\n'))
        THEN 'pending' ELSE e.status END,
      run_at = CASE WHEN e.status = 'waiting' AND e.wait_reason = 'event' AND $2 = ANY(string_to_array(e.wait_event, E'\n'))
        THEN $5 ELSE e.run_at END,
      wait_reason = CASE WHEN e.status = 'waiting' AND e.wait_reason = 'event' AND $2 = ANY(string_to_array(e.wait_event, E'\n'))
        THEN NULL ELSE e.wait_reason END,
      wait_event = CASE WHEN e.status = 'waiting' AND e.wait_reason = 'event' AND $2 = ANY(string_to_array(e.wait_event, E'\n'))
        THEN NULL ELSE e.wait_event END
    FROM inserted i WHERE e.execution_id = $1
  )
  SELECT p.status,
    EXISTS (SELECT 1 FROM inserted) AS delivered,
    EXISTS (SELECT 1 FROM ${n.events} v WHERE v.execution_id = $1 AND v.idempotency_key = $4) AS known_key,
    CASE WHEN EXISTS (SELECT 1 FROM inserted) THEN pg_notify($6, $7)::text END AS notified
  FROM (SELECT 1) AS one LEFT JOIN p ON true`,
);

interface OfferRow {
  status: string | null;
  delivered: boolean;
  known_key: boolean;
}

/** The parameters of `offerSql`, in its order (shared with `offerWithStart`). */
function offerParams(input: OfferEventInput, now: Date, notify: [string, string]): unknown[] {
  return [input.executionId, input.eventName, input.payload, input.idempotencyKey ?? null, now, ...notify];
}

/**
 * `"delivered"`, or `"duplicate"` for a key already accepted (even once terminal);
 * `ExecutionNotFoundError` / `ExecutionTerminalError` otherwise. With `startIfMissing`, creation
 * and offer share one transaction (see `offerWithStart`).
 */
export async function offerEvent(
  db: Database,
  wakeUps: WakeUps,
  input: OfferEventInput,
  now: Date,
): Promise<OfferOutcome> {
  const id = input.executionId;
  const notices = { created: wakeUps.notice("created", id), event: wakeUps.notice("event", id) };
  const start = input.startIfMissing;
  const offered =
    start === undefined
      ? { outcome: await offerAlone(db, input, now, notices.event), started: false }
      : await db.transaction((client) =>
          offerWithStart(client, db.names, { ...input, startIfMissing: start }, now, notices),
        );
  if (offered.started) wakeUps.emit("created", id);
  if (offered.outcome === "delivered") wakeUps.emit("event", id);
  return offered.outcome;
}

async function offerAlone(
  db: Database,
  input: OfferEventInput,
  now: Date,
  notify: [string, string],
): Promise<OfferOutcome> {
  const { rows } = await db.run<OfferRow>(offerSql, offerParams(input, now, notify));
  return outcomeOf(rows[0]!, input);
}

/**
 * `offerEvent` (with or without `startIfMissing`) through the caller's `pg` client inside `BEGIN`,
 * under a savepoint: the event, any execution it starts and their NOTIFYs exist iff the caller
 * commits; their NOTIFYs name no sender, so this instance's listener delivers them too.
 */
export function offerEventInTransaction(
  db: Database,
  wakeUps: WakeUps,
  transaction: unknown,
  input: OfferEventInput,
  now: Date,
): Promise<OfferOutcome> {
  const id = input.executionId;
  const notices = { created: wakeUps.committed("created", id), event: wakeUps.committed("event", id) };
  return inCallerTransaction(transaction, db.names, async (client) => {
    const start = input.startIfMissing;
    if (start !== undefined) {
      return (await offerWithStart(client, db.names, { ...input, startIfMissing: start }, now, notices))
        .outcome;
    }
    const { rows } = await client.query<OfferRow>(
      offerSql.text(db.names),
      offerParams(input, now, notices.event),
    );
    return outcomeOf(rows[0]!, input);
  });
}

/** What one row of `offerSql` means for `input`. */
function outcomeOf(row: OfferRow, input: OfferEventInput): OfferOutcome {
  if (row.status === null) throw new ExecutionNotFoundError(input.executionId);
  if (row.delivered) return "delivered";
  const terminal = ["completed", "failed", "cancelled"].includes(row.status);
  if (input.idempotencyKey !== undefined && (row.known_key || !terminal)) return "duplicate";
  throw new ExecutionTerminalError(input.executionId, row.status);
}

/** The NOTIFY payloads of one offer: `created` (if it starts the execution) and `event`. */
interface OfferNotices {
  created: [string, string];
  event: [string, string];
}

/** The outcome of an offer and whether it created (or replaced) the execution. */
interface Offered {
  outcome: OfferOutcome;
  started: boolean;
}

/**
 * Signal-with-start inside the transaction open on `client` (the store's own, or the caller's):
 * creates the execution when it is unknown, or terminal and the offer's key is not in its mailbox,
 * then offers the event, both committing (with their NOTIFYs) or neither.
 *
 * Locking: the execution row is read `FOR UPDATE` first. A terminal row is then replaced under
 * that lock (archiving the finished run). An unknown id is inserted by `createSql`; a concurrent
 * start or signal-with-start of the same id serializes on the primary key, and the loser, re-run,
 * finds the winner's live row and changes nothing (`started: false`). The offer statement then
 * locks the (now existing) row, so every concurrent offer lands in the one run's mailbox, in
 * commit order.
 */
async function offerWithStart(
  client: pg.ClientBase,
  names: SchemaNames,
  input: OfferEventInput & { startIfMissing: NewExecution },
  now: Date,
  notices: OfferNotices,
): Promise<Offered> {
  const { rows: current } = await client.query<{ terminal: boolean; known_key: boolean }>(
    `SELECT e.status IN ${TERMINAL} AS terminal,
       EXISTS (SELECT 1 FROM ${names.events} v
         WHERE v.execution_id = $1 AND v.idempotency_key = $2) AS known_key
     FROM ${names.executions} e WHERE e.execution_id = $1 FOR UPDATE`,
    [input.executionId, input.idempotencyKey ?? null],
  );
  const row = current[0];
  let started = false;
  if (row === undefined || (row.terminal && !row.known_key)) {
    const params = createParams(input.startIfMissing, now, notices.created);
    const created = await startRun(
      input.executionId,
      async () => (await client.query<StartRow>(createSql.text(names), params)).rows[0],
    );
    started = created !== undefined;
  }
  const { rows } = await client.query<OfferRow>(offerSql.text(names), offerParams(input, now, notices.event));
  return { outcome: outcomeOf(rows[0]!, input), started };
}
