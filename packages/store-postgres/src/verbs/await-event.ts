import type { AwaitEventInput, EventWaitOutcome, ExecutionPatch, Lease } from "@zart/core/store";
import type { Database } from "../db/database.js";
import { awaitEventSql, decideWait } from "../sql/event-wait.js";

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
