import { ExecutionNotFoundError, ExecutionTerminalError } from "@zart/core";
import { type Database, statement } from "../db/database.js";
import { TERMINAL } from "./fragments.js";

/**
 * Appends an event to the mailbox and wakes the execution if it waits on that name.
 *
 * Locking: the execution row is locked first (`FOR UPDATE`, which returns its newest version),
 * so offers and event waits on one execution serialize, and the event's `sequence` is
 * `event_count + 1` read under that lock (FIFO in commit order). The INSERT's ON CONFLICT on the
 * unique (execution, idempotency key) index sees keys committed after our snapshot too, so a
 * re-sent key inserts nothing even when racing. The execution row's UPDATE (bump `event_count`,
 * maybe wake) runs FROM the insert, so a duplicate changes nothing. `awaitEvent` compares
 * `event_count` to close the "offer between mailbox check and suspension" race (see there).
 * An `event` NOTIFY is sent at commit when the offer was delivered.
 */
const offerSql = statement(
  "offer-event",
  (n) => `
  WITH p AS (
    SELECT execution_id, status, event_count FROM ${n.executions} WHERE execution_id = $1 FOR UPDATE
  ), inserted AS (
    INSERT INTO ${n.events} (execution_id, sequence, event_name, payload, idempotency_key, offered_at)
    SELECT p.execution_id, p.event_count + 1, $2, $3, $4, $5 FROM p WHERE p.status NOT IN ${TERMINAL}
    ON CONFLICT (execution_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING sequence
  ), woken AS (
    UPDATE ${n.executions} e SET event_count = i.sequence,
      status = CASE WHEN e.status = 'waiting' AND e.wait_reason = 'event' AND e.wait_event = $2
        THEN 'pending' ELSE e.status END,
      run_at = CASE WHEN e.status = 'waiting' AND e.wait_reason = 'event' AND e.wait_event = $2
        THEN $5 ELSE e.run_at END,
      wait_reason = CASE WHEN e.status = 'waiting' AND e.wait_reason = 'event' AND e.wait_event = $2
        THEN NULL ELSE e.wait_reason END,
      wait_event = CASE WHEN e.status = 'waiting' AND e.wait_reason = 'event' AND e.wait_event = $2
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

/**
 * `"delivered"`, or `"duplicate"` for a key already accepted (even once terminal);
 * `ExecutionNotFoundError` / `ExecutionTerminalError` otherwise.
 */
export async function offerEvent(
  db: Database,
  input: { executionId: string; eventName: string; payload: string; idempotencyKey?: string },
  now: Date,
  notify: [string, string],
): Promise<"delivered" | "duplicate"> {
  const { rows } = await db.run<OfferRow>(offerSql, [
    input.executionId,
    input.eventName,
    input.payload,
    input.idempotencyKey ?? null,
    now,
    ...notify,
  ]);
  const row = rows[0]!;
  if (row.status === null) throw new ExecutionNotFoundError(input.executionId);
  if (row.delivered) return "delivered";
  const terminal = ["completed", "failed", "cancelled"].includes(row.status);
  if (input.idempotencyKey !== undefined && (row.known_key || !terminal)) return "duplicate";
  throw new ExecutionTerminalError(input.executionId, row.status);
}
