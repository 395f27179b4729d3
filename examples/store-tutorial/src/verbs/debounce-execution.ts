import type { DebounceInput, DebounceOutcome } from "@zart/core/store";
import type { TutorialStorage } from "../storage/tutorial-storage.js";
import { createExecution } from "./create-execution.js";

/**
 * Moves the unclaimed holder of the (task, key) to the new input and due time, or creates the
 * execution and makes it the holder. A holder that was claimed (it has a `startedAt`), paused,
 * cancelled or replaced by a new run is simply taken over: no other verb needs to know about it.
 */
export function debounceExecution(
  storage: TutorialStorage,
  input: DebounceInput,
  now: Date,
): DebounceOutcome {
  const { execution, key, timeoutMs } = input;
  const cap = (runAt: Date, from: Date) =>
    timeoutMs === undefined ? runAt : new Date(Math.min(runAt.getTime(), from.getTime() + timeoutMs));
  const slot = `${execution.taskName}\n${key}`;
  const holder = storage.debounces.get(slot);
  const record = holder && storage.entries.get(holder.executionId)?.record;
  if (
    holder &&
    record &&
    (record.run ?? 1) === holder.run &&
    record.status === "pending" &&
    !record.startedAt
  ) {
    record.payload = execution.payload;
    record.runAt = cap(execution.runAt, record.createdAt);
    record.priority = execution.priority;
    record.concurrencyKey = execution.concurrencyKey;
    record.rateKey = execution.rateKey;
    if (record.priority === undefined) delete record.priority;
    if (record.concurrencyKey === undefined) delete record.concurrencyKey;
    if (record.rateKey === undefined) delete record.rateKey;
    holder.starts += 1;
    return { execution: structuredClone(record), starts: holder.starts };
  }
  const created = createExecution(storage, { ...execution, runAt: cap(execution.runAt, now) }, now);
  storage.debounces.set(slot, { executionId: created.executionId, run: created.run ?? 1, starts: 1 });
  return { execution: created, starts: 1 };
}
