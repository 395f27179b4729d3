import type { ExecutionRecord, NewExecution } from "@zart/core/store";
import { details } from "./rows.js";
import type { TutorialStorage } from "./tutorial-storage.js";

/**
 * Stores `record` as a new entry. The entry of that id it replaces (a terminal one: callers check)
 * is first archived as a frozen copy, in the same synchronous pass, and `record` becomes its next run.
 */
export function insertRun(storage: TutorialStorage, record: ExecutionRecord): ExecutionRecord {
  const id = record.executionId;
  const previous = storage.entries.get(id);
  if (previous) {
    const archived = details(previous);
    archived.execution.run ??= 1;
    storage.runs.set(id, [...(storage.runs.get(id) ?? []), archived]);
    record.run = archived.execution.run + 1;
  }
  storage.entries.set(id, { record, steps: new Map(), children: new Map(), events: [] });
  return record;
}

/** Stores a new `pending` execution for `input` as the id's next run and returns its record. */
export function insertPending(storage: TutorialStorage, input: NewExecution, now: Date): ExecutionRecord {
  return insertRun(storage, {
    executionId: input.executionId,
    taskName: input.taskName,
    ...(input.version === undefined ? {} : { version: input.version }),
    payload: input.payload,
    status: "pending",
    attempt: 0,
    runAt: new Date(input.runAt),
    scheduledAt: new Date(input.runAt),
    createdAt: new Date(now),
    ...(input.priority ? { priority: input.priority } : {}),
    ...(input.concurrencyKey === undefined ? {} : { concurrencyKey: input.concurrencyKey }),
    ...(input.rateKey === undefined ? {} : { rateKey: input.rateKey }),
    ...(input.traceContext === undefined ? {} : { traceContext: input.traceContext }),
  });
}
