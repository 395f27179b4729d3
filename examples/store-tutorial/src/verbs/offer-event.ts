import {
  ExecutionTerminalError,
  isTerminal,
  type OfferEventInput,
  type OfferOutcome,
  waitsOnEvent,
} from "@zart/core/store";
import { entryOf } from "../storage/rows.js";
import { insertPending } from "../storage/runs.js";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

export function offerEvent(storage: TutorialStorage, input: OfferEventInput, now: Date): OfferOutcome {
  const key = input.idempotencyKey;
  const found = storage.entries.get(input.executionId);
  if (key !== undefined && found?.events.some((event) => event.idempotencyKey === key)) return "duplicate";
  // Signal-with-start: an unknown or terminal execution is (re)created first, in the same pass.
  if (input.startIfMissing && (!found || isTerminal(found.record.status))) {
    insertPending(storage, input.startIfMissing, now);
  }
  const entry = entryOf(storage, input.executionId);
  if (isTerminal(entry.record.status))
    throw new ExecutionTerminalError(input.executionId, entry.record.status);
  entry.events.push({
    eventName: input.eventName,
    sequence: storage.nextSequence++,
    payload: input.payload,
    ...(key !== undefined ? { idempotencyKey: key } : {}),
    offeredAt: new Date(now),
  });
  const record = entry.record;
  if (
    record.status === "waiting" &&
    record.waitReason === "event" &&
    waitsOnEvent(record.waitEvent, input.eventName)
  ) {
    record.status = "pending";
    record.runAt = new Date(now);
    delete record.waitReason;
    delete record.waitEvent;
  }
  return "delivered";
}
