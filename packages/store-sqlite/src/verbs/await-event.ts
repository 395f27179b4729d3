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
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { fence } from "../db/fencing.js";
import { ms, preparedPerConnection, raw } from "../db/prepared.js";
import { NO_LEASE, type Orm } from "../db/rows.js";
import { events, executions, steps } from "../db/schema.js";
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
 * Locking: this runs inside one `BEGIN IMMEDIATE` transaction, and `offerEvent` runs in one
 * too. Both take SQLite's single write lock before reading, so they are serialized: an offer
 * that commits first is seen by the mailbox read here; an offer that commits after sees the
 * execution `waiting` on this name and makes it due (answering the wait's step itself, see
 * `offer-event.ts`). No offer can land between the mailbox check
 * and the park, which is the no-lost-wake-up guarantee.
 */
export async function awaitEvent(
  ctx: SqliteContext,
  lease: Lease,
  wait: AwaitEventInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<EventWaitOutcome> {
  const { orm } = ctx;
  return ctx.write(() => {
    const { eventName, ...rest } = wait;
    const find = (id: string): FoundEvent | undefined => {
      const event = statements(orm).oldestEvent.get({ id, name: eventName });
      return event && { ...event, eventName };
    };
    const outcome = decideWait(orm, lease, { ...rest, eventNames: [eventName] }, patch, now, find, false);
    return outcome.outcome === "received" ? { outcome: "received", payload: outcome.payload } : outcome;
  });
}

export interface FoundEvent {
  sequence: number;
  eventName: string;
  payload: string;
  offeredAt: Date;
}

/** The wait shared by both verbs; `any` records the step's result as `anyEventResult`. */
export function decideWait(
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
