import type { OfferEventInput, OfferOutcome } from "@zart/core/store";
import type { SchemaNames } from "../db/names.js";
import { inCallerTransaction } from "./create-execution-in-transaction.js";
import { type OfferRow, offerParams, offerSql, outcomeOf } from "./offer-event.js";
import { type OfferNotices, offerWithStart } from "./signal-with-start.js";

/**
 * `offerEvent` (with or without `startIfMissing`) through the caller's `pg` client inside `BEGIN`,
 * under a savepoint: the event, any execution it starts and their NOTIFYs exist iff the caller
 * commits. `notices` must be payloads every listener delivers, this store's own included.
 */
export function offerEventInTransaction(
  transaction: unknown,
  names: SchemaNames,
  input: OfferEventInput,
  now: Date,
  notices: OfferNotices,
): Promise<OfferOutcome> {
  return inCallerTransaction(transaction, names, async (client) => {
    const start = input.startIfMissing;
    if (start !== undefined) {
      return (await offerWithStart(client, names, { ...input, startIfMissing: start }, now, notices)).outcome;
    }
    const { rows } = await client.query<OfferRow>(
      offerSql.text(names),
      offerParams(input, now, notices.event),
    );
    return outcomeOf(rows[0]!, input);
  });
}
