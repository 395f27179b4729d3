import type { EventWaitOutcome, ExecutionPatch, Lease, SerializedError, StepWrite } from "@zart/core";
import { and, asc, eq, isNull } from "drizzle-orm";
import { fence, updateFenced } from "../fencing.js";
import { NO_LEASE, type Orm } from "../rows.js";
import { events, steps } from "../schema.js";
import { upsertStep } from "./save-step.js";

/** A wait as `Scheduler.awaitEvent` receives it. */
export interface EventWait {
  position: number;
  stepName: string;
  eventName: string;
  deadline?: Date;
  wakeAt?: Date;
  timeoutError: SerializedError;
}

/**
 * The three outcomes of an event wait: consume the oldest unconsumed event of that name, else time
 * out at the deadline (leaving the mailbox untouched), else park the execution on the event.
 *
 * Locking: the caller runs this inside one `BEGIN IMMEDIATE` transaction, and `offerEvent` runs in
 * one too. Both take SQLite's single write lock before reading, so they are serialized: an offer
 * that commits first is seen by the mailbox read here; an offer that commits after sees the
 * execution `waiting` on this name and makes it due. No offer can land between the mailbox check
 * and the park, which is the no-lost-wake-up guarantee.
 */
export function awaitEvent(
  orm: Orm,
  lease: Lease,
  wait: EventWait,
  patch: ExecutionPatch,
  now: Date,
): EventWaitOutcome {
  fence(orm, lease, patch);
  const executionId = lease.executionId;
  const previous = orm
    .select({ startedAt: steps.startedAt })
    .from(steps)
    .where(and(eq(steps.executionId, executionId), eq(steps.position, wait.position)))
    .get();
  const save = (fields: Pick<StepWrite, "status"> & Partial<StepWrite>): void =>
    upsertStep(orm, executionId, {
      position: wait.position,
      name: wait.stepName,
      kind: "event",
      attempts: 1,
      ...(wait.deadline === undefined ? {} : { wakeAt: wait.deadline }),
      startedAt: previous?.startedAt ?? now,
      ...fields,
    });

  const event = orm
    .select({ sequence: events.sequence, payload: events.payload })
    .from(events)
    .where(
      and(
        eq(events.executionId, executionId),
        eq(events.eventName, wait.eventName),
        isNull(events.consumedAt),
      ),
    )
    .orderBy(asc(events.sequence))
    .limit(1)
    .get();
  if (event !== undefined) {
    orm
      .update(events)
      .set({ consumedAt: now })
      .where(and(eq(events.executionId, executionId), eq(events.sequence, event.sequence)))
      .run();
    save({ status: "completed", result: event.payload, completedAt: now });
    return { outcome: "received", payload: event.payload };
  }
  if (wait.deadline !== undefined && wait.deadline.getTime() <= now.getTime()) {
    save({ status: "failed", error: wait.timeoutError, completedAt: now });
    return { outcome: "timeout" };
  }
  save({ status: "waiting" });
  updateFenced(
    orm,
    lease,
    {},
    {
      status: "waiting",
      waitReason: "event",
      waitEvent: wait.eventName,
      runAt: wait.wakeAt ?? null,
      ...NO_LEASE,
    },
  );
  return { outcome: "suspended" };
}
