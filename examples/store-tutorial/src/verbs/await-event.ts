import type { AwaitEventInput, EventWaitOutcome, ExecutionPatch, Lease } from "@zart/core/store";
import type { TutorialStorage } from "../storage/tutorial-storage.js";
import { decideWait } from "./await-any-event.js";

/** An any-event wait on one name, whose step records the bare payload. */
export function awaitEvent(
  storage: TutorialStorage,
  lease: Lease,
  input: AwaitEventInput,
  patch: ExecutionPatch,
  now: Date,
): EventWaitOutcome {
  const { eventName, ...rest } = input;
  const wait = { ...rest, eventNames: [eventName] };
  const outcome = decideWait(storage, lease, wait, patch, now, (event) => event.payload);
  return outcome.outcome === "received" ? { outcome: "received", payload: outcome.payload } : outcome;
}
