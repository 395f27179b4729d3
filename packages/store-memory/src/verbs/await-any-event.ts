import {
  type AnyEventWaitOutcome,
  type AwaitAnyEventInput,
  anyEventResult,
  type EventRecord,
  type ExecutionPatch,
  joinWaitEvents,
  type Lease,
  type StepRecord,
} from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import { fenceExecution } from "../storage/fencing.js";
import type { ExecutionRow, MemoryStorage } from "../storage/memory-storage.js";
import { applyPatch, compact, copy, park, putStep } from "../storage/rows.js";

/**
 * `awaitEvent` over several names: the first offered unconsumed event among them (lowest sequence)
 * is consumed; the step records `anyEventResult(name, payload)`.
 */
export function awaitAnyEvent(
  ctx: MemoryContext,
  lease: Lease,
  input: AwaitAnyEventInput,
  patch: ExecutionPatch,
  now: Date,
): AnyEventWaitOutcome {
  const row = fenceExecution(ctx.storage, lease);
  applyPatch(row.record, patch);
  return decideWait(ctx.storage, row, input, now, (e) => anyEventResult(e.eventName, e.payload));
}

/**
 * The three outcomes of an event wait, decided in one synchronous pass so no offer can slip
 * between the mailbox check and the suspension: consume the oldest unconsumed event of that name
 * (once the deadline has passed, only if it was offered at or before it), else time out at the
 * deadline (leaving the mailbox untouched), else park the execution.
 */
export function decideWait(
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
