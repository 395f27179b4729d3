import {
  type AnyEventWaitOutcome,
  type AwaitAnyEventInput,
  anyEventResult,
  type EventRecord,
  type ExecutionPatch,
  joinWaitEvents,
  type Lease,
} from "@zart/core/store";
import { fenced } from "../storage/fencing.js";
import { applyPatch, park, writeStep } from "../storage/rows.js";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

export function awaitAnyEvent(
  storage: TutorialStorage,
  lease: Lease,
  input: AwaitAnyEventInput,
  patch: ExecutionPatch,
  now: Date,
): AnyEventWaitOutcome {
  return decideWait(storage, lease, input, patch, now, (e) => anyEventResult(e.eventName, e.payload));
}

/** The oldest unconsumed event among the names (offered by the deadline once it passed), else timeout or park. */
export function decideWait(
  storage: TutorialStorage,
  lease: Lease,
  input: AwaitAnyEventInput,
  patch: ExecutionPatch,
  now: Date,
  resultOf: (event: EventRecord) => string,
): AnyEventWaitOutcome {
  const entry = fenced(storage, lease);
  const passed = input.deadline !== undefined && input.deadline <= now;
  const event = entry.events.find(
    (candidate) =>
      input.eventNames.includes(candidate.eventName) &&
      candidate.consumedAt === undefined &&
      (!passed || (input.deadline !== undefined && candidate.offeredAt <= input.deadline)),
  );
  const step = { position: input.position, name: input.stepName, kind: "event", attempts: 1 } as const;
  applyPatch(entry.record, patch);
  if (event) {
    event.consumedAt = new Date(now);
    writeStep(entry, { ...step, status: "completed", result: resultOf(event), completedAt: now });
    return { outcome: "received", eventName: event.eventName, payload: event.payload };
  }
  if (passed) {
    writeStep(entry, { ...step, status: "failed", error: input.timeoutError, completedAt: now });
    return { outcome: "timeout" };
  }
  writeStep(entry, { ...step, status: "waiting", wakeAt: input.deadline });
  park(entry, "event", input.wakeAt, {});
  entry.record.waitEvent = joinWaitEvents(input.eventNames);
  return { outcome: "suspended" };
}
