import { ExecutionNotFoundError, ExecutionTerminalError, isTerminal } from "@zart/core";
import { and, eq, max } from "drizzle-orm";
import { dueNow, type Orm } from "../rows.js";
import { events, executions } from "../schema.js";

/** An offer as `Scheduler.offerEvent` receives it. */
export interface EventOffer {
  executionId: string;
  eventName: string;
  payload: string;
  idempotencyKey?: string;
}

/**
 * Appends an offer to the mailbox and makes the execution due now if it is parked on that event
 * name. A key already accepted for the execution → `"duplicate"` (even when terminal), no change.
 *
 * Locking: the caller runs this inside one `BEGIN IMMEDIATE` transaction, serialized with
 * `awaitEvent` by SQLite's single write lock (see `await-event.ts`): the wait either sees this
 * event in the mailbox, or has already parked and is woken here. The sequence is `max + 1` under
 * the same lock, so offers of one execution are numbered without gaps or races.
 */
export function offerEvent(orm: Orm, offer: EventOffer, now: Date): "delivered" | "duplicate" {
  const { executionId, idempotencyKey } = offer;
  if (idempotencyKey !== undefined) {
    const seen = orm
      .select({ sequence: events.sequence })
      .from(events)
      .where(and(eq(events.executionId, executionId), eq(events.idempotencyKey, idempotencyKey)))
      .get();
    if (seen !== undefined) return "duplicate";
  }
  const execution = orm
    .select({ status: executions.status, waitReason: executions.waitReason, waitEvent: executions.waitEvent })
    .from(executions)
    .where(eq(executions.executionId, executionId))
    .get();
  if (execution === undefined) throw new ExecutionNotFoundError(executionId);
  if (isTerminal(execution.status)) throw new ExecutionTerminalError(executionId, execution.status);

  const last = orm
    .select({ sequence: max(events.sequence) })
    .from(events)
    .where(eq(events.executionId, executionId))
    .get();
  orm
    .insert(events)
    .values({
      executionId,
      sequence: (last?.sequence ?? 0) + 1,
      eventName: offer.eventName,
      payload: offer.payload,
      idempotencyKey: idempotencyKey ?? null,
      offeredAt: now,
    })
    .run();
  if (
    execution.status === "waiting" &&
    execution.waitReason === "event" &&
    execution.waitEvent === offer.eventName
  ) {
    orm.update(executions).set(dueNow(now)).where(eq(executions.executionId, executionId)).run();
  }
  return "delivered";
}
