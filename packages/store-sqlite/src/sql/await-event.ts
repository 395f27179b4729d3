import {
  type AnyEventWaitOutcome,
  type AwaitAnyEventInput,
  type AwaitEventInput,
  anyEventResult,
  type EventWaitOutcome,
  type ExecutionPatch,
  joinWaitEvents,
  type Lease,
  type StepWrite,
} from "@zart/core/store";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { fence } from "../fencing.js";
import { ms, preparedPerConnection, raw } from "../prepared.js";
import { NO_LEASE, type Orm } from "../rows.js";
import { events, executions, steps } from "../schema.js";
import { upsertStep } from "./save-step.js";

const byId = sql.placeholder("id");

const statements = preparedPerConnection((orm) => ({
  startedAt: orm
    .select({ startedAt: steps.startedAt })
    .from(steps)
    .where(and(eq(steps.executionId, byId), eq(steps.position, sql.placeholder("position"))))
    .prepare(),
  // The mailbox read: the oldest unconsumed event of the name (index `zart_events_mailbox_idx`).
  oldestEvent: orm
    .select({ sequence: events.sequence, payload: events.payload, offeredAt: events.offeredAt })
    .from(events)
    .where(
      and(
        eq(events.executionId, byId),
        eq(events.eventName, sql.placeholder("name")),
        isNull(events.consumedAt),
      ),
    )
    .orderBy(asc(events.sequence))
    .limit(1)
    .prepare(),
  // The first offered unconsumed event among several names (a JSON array), across names.
  oldestOfNames: orm
    .select({
      sequence: events.sequence,
      eventName: events.eventName,
      payload: events.payload,
      offeredAt: events.offeredAt,
    })
    .from(events)
    .where(
      and(
        eq(events.executionId, byId),
        inArray(events.eventName, sql`(SELECT value FROM json_each(${sql.placeholder("names")}))`),
        isNull(events.consumedAt),
      ),
    )
    .orderBy(asc(events.sequence))
    .limit(1)
    .prepare(),
  consume: orm
    .update(events)
    .set({ consumedAt: raw("now") })
    .where(and(eq(events.executionId, byId), eq(events.sequence, sql.placeholder("sequence"))))
    .prepare(),
  park: orm
    .update(executions)
    .set({ status: "waiting", waitReason: "event", waitEvent: raw("name"), runAt: raw("runAt"), ...NO_LEASE })
    .where(eq(executions.executionId, byId))
    .prepare(),
}));

/**
 * The three outcomes of an event wait: consume the oldest unconsumed event of that name (once the
 * deadline has passed, only if it was offered at or before it), else time out at the deadline
 * (leaving the mailbox untouched), else park the execution on the event.
 *
 * Locking: the caller runs this inside one `BEGIN IMMEDIATE` transaction, and `offerEvent` runs in
 * one too. Both take SQLite's single write lock before reading, so they are serialized: an offer
 * that commits first is seen by the mailbox read here; an offer that commits after sees the
 * execution `waiting` on this name and makes it due (answering the wait's step itself, see
 * `offer-event.ts`). No offer can land between the mailbox check
 * and the park, which is the no-lost-wake-up guarantee.
 */
export function awaitEvent(
  orm: Orm,
  lease: Lease,
  wait: AwaitEventInput,
  patch: ExecutionPatch,
  now: Date,
): EventWaitOutcome {
  const { eventName, ...rest } = wait;
  const find = (id: string): FoundEvent | undefined => {
    const event = statements(orm).oldestEvent.get({ id, name: eventName });
    return event && { ...event, eventName };
  };
  const outcome = decideWait(orm, lease, { ...rest, eventNames: [eventName] }, patch, now, find, false);
  return outcome.outcome === "received" ? { outcome: "received", payload: outcome.payload } : outcome;
}

/** `awaitEvent` over several names: the first offered among them; the step records `anyEventResult`. */
export function awaitAnyEvent(
  orm: Orm,
  lease: Lease,
  wait: AwaitAnyEventInput,
  patch: ExecutionPatch,
  now: Date,
): AnyEventWaitOutcome {
  const names = JSON.stringify(wait.eventNames);
  const find = (id: string) => statements(orm).oldestOfNames.get({ id, names });
  return decideWait(orm, lease, wait, patch, now, find, true);
}

interface FoundEvent {
  sequence: number;
  eventName: string;
  payload: string;
  offeredAt: Date;
}

function decideWait(
  orm: Orm,
  lease: Lease,
  wait: AwaitAnyEventInput,
  patch: ExecutionPatch,
  now: Date,
  find: (id: string) => FoundEvent | undefined,
  any: boolean,
): AnyEventWaitOutcome {
  fence(orm, lease, patch);
  const prepared = statements(orm);
  const id = lease.executionId;
  const previous = prepared.startedAt.get({ id, position: wait.position });
  const save = (fields: Pick<StepWrite, "status"> & Partial<StepWrite>): void =>
    upsertStep(orm, id, {
      position: wait.position,
      name: wait.stepName,
      kind: "event",
      attempts: 1,
      ...(wait.deadline === undefined ? {} : { wakeAt: wait.deadline }),
      startedAt: previous?.startedAt ?? now,
      ...fields,
    });

  const event = find(id);
  const deadline = wait.deadline?.getTime();
  const expired = deadline !== undefined && deadline <= now.getTime();
  // Past the deadline, an event offered after it loses to the timeout and stays for a later wait
  // (the first offered among the names is the oldest, so no later one was offered in time).
  if (event !== undefined && !(expired && event.offeredAt.getTime() > deadline)) {
    prepared.consume.run({ id, sequence: event.sequence, now: now.getTime() });
    const result = any ? anyEventResult(event.eventName, event.payload) : event.payload;
    save({ status: "completed", result, completedAt: now });
    return { outcome: "received", eventName: event.eventName, payload: event.payload };
  }
  if (expired) {
    save({ status: "failed", error: wait.timeoutError, completedAt: now });
    return { outcome: "timeout" };
  }
  save({ status: "waiting" });
  // The fence above holds for the rest of the transaction: the write lock is ours.
  prepared.park.run({ id, name: joinWaitEvents(wait.eventNames), runAt: ms(wait.wakeAt) });
  return { outcome: "suspended" };
}
