import type { NewExecution, OfferEventInput, OfferOutcome } from "@zart/core/store";
import type pg from "pg";
import type { SchemaNames } from "../db/names.js";
import { createParams, createSql } from "./create-execution.js";
import { TERMINAL } from "./fragments.js";
import { type OfferRow, offerParams, offerSql, outcomeOf } from "./offer-event.js";

/** The NOTIFY payloads of one offer: `created` (if it starts the execution) and `event`. */
export interface OfferNotices {
  created: [string, string];
  event: [string, string];
}

/** The outcome of an offer and whether it created (or replaced) the execution. */
export interface Offered {
  outcome: OfferOutcome;
  started: boolean;
}

/**
 * Signal-with-start inside the transaction open on `client` (the store's own, or the caller's):
 * creates the execution when it is unknown, or terminal and the offer's key is not in its mailbox,
 * then offers the event, both committing (with their NOTIFYs) or neither.
 *
 * Locking: the execution row is read `FOR UPDATE` first. A terminal row is then replaced under
 * that lock. An unknown id is inserted by `createSql`; a concurrent start or signal-with-start of
 * the same id serializes on the primary key, and the loser's upsert, seeing the winner's live row,
 * changes nothing (`started: false`). The offer statement then locks the (now existing) row, so
 * every concurrent offer lands in the one run's mailbox, in commit order.
 */
export async function offerWithStart(
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
    const created = await client.query(
      createSql.text(names),
      createParams(input.startIfMissing, now, notices.created),
    );
    started = created.rowCount === 1;
  }
  const { rows } = await client.query<OfferRow>(offerSql.text(names), offerParams(input, now, notices.event));
  return { outcome: outcomeOf(rows[0]!, input), started };
}
