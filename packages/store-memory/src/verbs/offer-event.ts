import { ExecutionNotFoundError, ExecutionTerminalError, isTerminal } from "@zart/core";
import {
  type NewExecution,
  type OfferEventInput,
  type OfferOutcome,
  type StepRecord,
  waitsOnEvent,
} from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import type { ExecutionRow, MemoryStorage } from "../storage/memory-storage.js";
import { compact, copy, makeDue, newExecutionRecord, putStep } from "../storage/rows.js";
import { insertRun } from "../storage/runs.js";

/**
 * Appends an event to the mailbox, waking the execution if it waits on that name; with
 * `startIfMissing`, first creates an unknown or terminal execution (one synchronous pass).
 */
export function offerEvent(ctx: MemoryContext, input: OfferEventInput, now: Date): OfferOutcome {
  const start = startsOnOffer(ctx.storage, input);
  if (start !== undefined) insertRun(ctx.storage, newExecutionRecord(start, now));
  const outcome = deliver(ctx.storage, input, now);
  if (start !== undefined) ctx.emit("created", input.executionId);
  if (outcome === "delivered") ctx.emit("event", input.executionId);
  return outcome;
}

/**
 * The execution a signal-with-start must create before its offer: `startIfMissing`, when the id is
 * unknown, or terminal and the offer's key is not already in its mailbox (a duplicate changes nothing).
 */
function startsOnOffer(storage: MemoryStorage, offer: OfferEventInput): NewExecution | undefined {
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
function deliver(storage: MemoryStorage, offer: OfferEventInput, now: Date): OfferOutcome {
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
