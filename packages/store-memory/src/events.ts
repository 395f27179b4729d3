import { ExecutionNotFoundError, ExecutionTerminalError, isTerminal } from "@zart/core";
import {
  type AnyEventWaitOutcome,
  type AwaitAnyEventInput,
  type AwaitEventInput,
  anyEventResult,
  type EventRecord,
  type EventWaitOutcome,
  joinWaitEvents,
  type NewExecution,
  type OfferEventInput,
  type OfferOutcome,
  type StepRecord,
  waitsOnEvent,
} from "@zart/core/store";
import type { ExecutionRow, MemoryStorage } from "./memory-storage.js";
import { compact, copy, makeDue, park, putStep } from "./rows.js";

/**
 * The execution a signal-with-start must create before its offer: `startIfMissing`, when the id is
 * unknown, or terminal and the offer's key is not already in its mailbox (a duplicate changes nothing).
 */
export function startsOnOffer(storage: MemoryStorage, offer: OfferEventInput): NewExecution | undefined {
  if (offer.startIfMissing === undefined) return undefined;
  const row = storage.execution(offer.executionId);
  if (row === undefined) return offer.startIfMissing;
  if (!isTerminal(row.record.status)) return undefined;
  const key = offer.idempotencyKey;
  const duplicate =
    key !== undefined && storage.events(offer.executionId).some((e) => e.idempotencyKey === key);
  return duplicate ? undefined : offer.startIfMissing;
}

/**
 * Appends an offer to the mailbox and makes the execution due now if it is parked on that event
 * name. A key already accepted for the execution → `"duplicate"` (even when terminal), no change.
 *
 * When the parked wait can still receive it (its deadline and the execution's wake time are both
 * after `now`), the offer also consumes the event: it is appended consumed and the waiting event
 * step is completed with the payload, so the replay returns it from history with no store call.
 * Once that time has come, the offer only appends and wakes, as before: the worker's replayed
 * `awaitEvent` decides the wait. All of it runs in one synchronous pass, so no wait interleaves.
 */
export function offerEvent(storage: MemoryStorage, offer: OfferEventInput, now: Date): OfferOutcome {
  const row = storage.execution(offer.executionId);
  if (row === undefined) throw new ExecutionNotFoundError(offer.executionId);
  const mailbox = storage.events(offer.executionId);
  const key = offer.idempotencyKey;
  if (key !== undefined && mailbox.some((event) => event.idempotencyKey === key)) return "duplicate";
  const record = row.record;
  if (isTerminal(record.status)) throw new ExecutionTerminalError(record.executionId, record.status);
  const parked =
    record.status === "waiting" &&
    record.waitReason === "event" &&
    waitsOnEvent(record.waitEvent, offer.eventName);
  // Only a wait on this name alone is answered here; an any-event wait is woken to decide itself.
  const wait = parked && record.waitEvent === offer.eventName ? receivingWait(storage, row, now) : undefined;
  mailbox.push(
    compact({
      eventName: offer.eventName,
      sequence: (mailbox.at(-1)?.sequence ?? 0) + 1,
      payload: offer.payload,
      idempotencyKey: key,
      offeredAt: new Date(now),
      consumedAt: wait && new Date(now),
    }),
  );
  if (wait !== undefined) {
    putStep(storage, record.executionId, {
      ...copy(wait),
      status: "completed",
      result: offer.payload,
      completedAt: new Date(now),
    });
  }
  if (parked) makeDue(record, now);
  return "delivered";
}

/**
 * The step of the execution's parked event wait (the latest `event` step still `waiting`), if it
 * can still receive an event at `now`: neither its deadline (`wakeAt`) nor the execution's wake
 * time (the deadline or the task timeout, whichever is first) has come.
 */
function receivingWait(storage: MemoryStorage, row: ExecutionRow, now: Date): StepRecord | undefined {
  let wait: StepRecord | undefined;
  for (const { record } of storage.steps(row.record.executionId).values()) {
    if (record.kind !== "event" || record.status !== "waiting") continue;
    if (wait === undefined || record.position > wait.position) wait = record;
  }
  const open = (time: Date | undefined) => time === undefined || now.getTime() < time.getTime();
  return wait !== undefined && open(wait.wakeAt) && open(row.record.runAt) ? wait : undefined;
}

/**
 * The three outcomes of an event wait, decided in one synchronous pass so no offer can slip
 * between the mailbox check and the suspension: consume the oldest unconsumed event of that name
 * (once the deadline has passed, only if it was offered at or before it), else time out at the
 * deadline (leaving the mailbox untouched), else park the execution.
 */
export function awaitEvent(
  storage: MemoryStorage,
  row: ExecutionRow,
  wait: AwaitEventInput,
  now: Date,
): EventWaitOutcome {
  const { eventName, ...rest } = wait;
  const outcome = decideWait(storage, row, { ...rest, eventNames: [eventName] }, now, (e) => e.payload);
  return outcome.outcome === "received" ? { outcome: "received", payload: outcome.payload } : outcome;
}

/**
 * `awaitEvent` over several names: the first offered unconsumed event among them (lowest sequence)
 * is consumed; the step records `anyEventResult(name, payload)`.
 */
export function awaitAnyEvent(
  storage: MemoryStorage,
  row: ExecutionRow,
  wait: AwaitAnyEventInput,
  now: Date,
): AnyEventWaitOutcome {
  return decideWait(storage, row, wait, now, (e) => anyEventResult(e.eventName, e.payload));
}

function decideWait(
  storage: MemoryStorage,
  row: ExecutionRow,
  wait: AwaitAnyEventInput,
  now: Date,
  resultOf: (event: EventRecord) => string,
): AnyEventWaitOutcome {
  const executionId = row.record.executionId;
  const previous = storage.steps(executionId).get(wait.position)?.record;
  const saveStep = (fields: Pick<StepRecord, "status"> & Partial<StepRecord>): void =>
    putStep(
      storage,
      executionId,
      compact({
        position: wait.position,
        name: wait.stepName,
        kind: "event",
        attempts: 1,
        wakeAt: wait.deadline && new Date(wait.deadline),
        startedAt: new Date(previous?.startedAt ?? now),
        ...fields,
      }),
    );

  const deadline = wait.deadline?.getTime();
  const expired = deadline !== undefined && deadline <= now.getTime();
  // Past the deadline, an event offered after it loses to the timeout and stays for a later wait.
  const event = storage
    .events(executionId)
    .find(
      (e) =>
        wait.eventNames.includes(e.eventName) &&
        !e.consumedAt &&
        !(expired && e.offeredAt.getTime() > deadline),
    );
  if (event !== undefined) {
    event.consumedAt = new Date(now);
    saveStep({ status: "completed", result: resultOf(event), completedAt: new Date(now) });
    return { outcome: "received", eventName: event.eventName, payload: event.payload };
  }
  if (expired) {
    saveStep({ status: "failed", error: copy(wait.timeoutError), completedAt: new Date(now) });
    return { outcome: "timeout" };
  }
  saveStep({ status: "waiting" });
  park(row, "event", wait.wakeAt, joinWaitEvents(wait.eventNames));
  return { outcome: "suspended" };
}
