import type { AnyEventWaitOutcome, AwaitAnyEventInput, ExecutionPatch, Lease } from "@zart/core/store";
import type { Database } from "../db/database.js";
import { awaitAnyEventSql, decideWait } from "../sql/event-wait.js";

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
