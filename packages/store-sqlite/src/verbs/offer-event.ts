import { ExecutionNotFoundError, ExecutionTerminalError, isTerminal } from "@zart/core";
import { type OfferEventInput, type OfferOutcome, waitsOnEvent } from "@zart/core/store";
import { and, desc, eq, max, sql } from "drizzle-orm";
import { checkCallerTransaction } from "../db/after-transaction.js";
import type { SqliteContext } from "../db/context.js";
import { preparedPerConnection, raw } from "../db/prepared.js";
import type { Orm } from "../db/rows.js";
import { events, executions, steps } from "../db/schema.js";
import { afterCommit, insertExecution } from "./create-execution.js";

const byId = sql.placeholder("id");

/** An offer's outcome, whether it started the execution, and the event's sequence when delivered. */
interface Offered {
  outcome: OfferOutcome;
  started: boolean;
  sequence?: number;
}

const statements = preparedPerConnection((orm) => ({
  duplicate: orm
    .select({ sequence: events.sequence })
    .from(events)
    .where(and(eq(events.executionId, byId), eq(events.idempotencyKey, sql.placeholder("key"))))
    .prepare(),
  execution: orm
    .select({
      status: executions.status,
      waitReason: executions.waitReason,
      waitEvent: executions.waitEvent,
      runAt: executions.runAt,
    })
    .from(executions)
    .where(eq(executions.executionId, byId))
    .prepare(),
  lastSequence: orm
    .select({ sequence: max(events.sequence) })
    .from(events)
    .where(eq(events.executionId, byId))
    .prepare(),
  append: orm
    .insert(events)
    .values({
      executionId: raw("id"),
      sequence: raw("sequence"),
      eventName: raw("name"),
      payload: raw("payload"),
      idempotencyKey: raw("key"),
      offeredAt: raw("now"),
      consumedAt: raw("consumedAt"),
    })
    .prepare(),
  // The parked event wait's step: the latest `event` step still `waiting` (primary key, backwards).
  waitingStep: orm
    .select({ position: steps.position, wakeAt: steps.wakeAt })
    .from(steps)
    .where(and(eq(steps.executionId, byId), eq(steps.kind, "event"), eq(steps.status, "waiting")))
    .orderBy(desc(steps.position))
    .limit(1)
    .prepare(),
  receive: orm
    .update(steps)
    .set({ status: "completed", result: raw("payload"), completedAt: raw("now") })
    .where(and(eq(steps.executionId, byId), eq(steps.position, sql.placeholder("position"))))
    .prepare(),
  wake: orm
    .update(executions)
    .set({ status: "pending", runAt: raw("now"), waitReason: null, waitEvent: null })
    .where(eq(executions.executionId, byId))
    .prepare(),
}));

/** Appends an event to the mailbox, waking the execution if it waits on that name. */
export async function offerEvent(
  ctx: SqliteContext,
  input: OfferEventInput,
  now: Date,
): Promise<OfferOutcome> {
  const offered = await ctx.write(() => appendOffer(ctx.orm, input, now));
  if (offered.started) ctx.emit("created", input.executionId);
  if (offered.outcome === "delivered") ctx.emit("event", input.executionId);
  return offered.outcome;
}

/**
 * `offerEvent` inside the caller's open transaction on this store's own handle (a savepoint in
 * it). Its wake-ups are pushed only once that transaction is over, and only if the event it
 * appended is there (committed).
 */
export async function offerEventInTransaction(
  ctx: SqliteContext,
  transaction: unknown,
  input: OfferEventInput,
  now: Date,
): Promise<OfferOutcome> {
  checkCallerTransaction(ctx.database, transaction);
  const offered = ctx.writeNow(() => appendOffer(ctx.orm, input, now));
  if (offered.outcome === "delivered") {
    afterCommit(
      ctx,
      input.executionId,
      (details) =>
        details.events.some(
          (event) => event.sequence === offered.sequence && event.offeredAt.getTime() === now.getTime(),
        ),
      offered.started ? ["created", "event"] : ["event"],
    );
  }
  return offered.outcome;
}

/**
 * Appends an offer to the mailbox and makes the execution due now if it is parked on that event
 * name. A key already accepted for the execution → `"duplicate"` (even when terminal), no change.
 *
 * When the parked wait can still receive it (its deadline and the execution's wake time are both
 * after `now`), the offer also consumes the event: it is appended consumed and the waiting event
 * step is completed with the payload, so the replay returns it from history with no store call.
 * Once that time has come, the offer only appends and wakes, as before: the worker's replayed
 * `awaitEvent` decides the wait.
 *
 * Locking: this runs inside one `BEGIN IMMEDIATE` transaction, serialized with
 * `awaitEvent` by SQLite's single write lock (see `await-event.ts`): the wait either sees this
 * event in the mailbox, or has already parked and is woken (and answered) here. The sequence is
 * `max + 1` under the same lock, so offers of one execution are numbered without gaps or races.
 *
 * With `startIfMissing`, an unknown or terminal execution is first created by `insertExecution`
 * in the same transaction (after the duplicate check, so a re-sent key never starts a new run).
 */
function appendOffer(orm: Orm, offer: OfferEventInput, now: Date): Offered {
  const prepared = statements(orm);
  const { executionId: id, idempotencyKey: key } = offer;
  if (key !== undefined && prepared.duplicate.get({ id, key }) !== undefined) {
    return { outcome: "duplicate", started: false };
  }
  let execution = prepared.execution.get({ id });
  const started =
    offer.startIfMissing !== undefined && (execution === undefined || isTerminal(execution.status));
  if (started && offer.startIfMissing) {
    insertExecution(orm, offer.startIfMissing, now);
    execution = prepared.execution.get({ id });
  }
  if (execution === undefined) throw new ExecutionNotFoundError(id);
  if (isTerminal(execution.status)) throw new ExecutionTerminalError(id, execution.status);

  const parked =
    execution.status === "waiting" &&
    execution.waitReason === "event" &&
    waitsOnEvent(execution.waitEvent ?? undefined, offer.eventName);
  const open = (time: Date | null) => time === null || now.getTime() < time.getTime();
  // Only a wait on this name alone is answered here; an any-event wait is woken to decide itself.
  const single = parked && execution.waitEvent === offer.eventName;
  const wait = single ? prepared.waitingStep.get({ id }) : undefined;
  const receiving = wait !== undefined && open(wait.wakeAt) && open(execution.runAt);

  const sequence = (prepared.lastSequence.get({ id })?.sequence ?? 0) + 1;
  prepared.append.run({
    id,
    sequence,
    name: offer.eventName,
    payload: offer.payload,
    key: key ?? null,
    now: now.getTime(),
    consumedAt: receiving ? now.getTime() : null,
  });
  if (receiving) {
    prepared.receive.run({ id, position: wait.position, payload: offer.payload, now: now.getTime() });
  }
  if (parked) prepared.wake.run({ id, now: now.getTime() });
  return { outcome: "delivered", started, sequence };
}
