import {
  type ExecutionDetails,
  ExecutionNotFoundError,
  type ExecutionPatch,
  type ExecutionRecord,
  isTerminal,
  type NewExecution,
  type StepRecord,
  type StepWrite,
} from "@zart/core/store";
import type { Entry, TutorialStorage } from "./tutorial-storage.js";

// The row edits several verbs share. Reads hand out copies, so no caller can change stored rows.

/** The entry of an execution, or `ExecutionNotFoundError`. */
export function entryOf(storage: TutorialStorage, executionId: string): Entry {
  const entry = storage.entries.get(executionId);
  if (!entry) throw new ExecutionNotFoundError(executionId);
  return entry;
}

/** Stores a new `pending` execution for `input` (replacing whatever had its id) and returns its record. */
export function insertPending(entries: Map<string, Entry>, input: NewExecution, now: Date): ExecutionRecord {
  const record: ExecutionRecord = {
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
  };
  entries.set(input.executionId, { record, steps: new Map(), children: new Map(), events: [] });
  return record;
}

export function details(entry: Entry): ExecutionDetails {
  return structuredClone({ execution: entry.record, steps: sortedSteps(entry), events: entry.events });
}

export function sortedSteps(entry: Entry): StepRecord[] {
  return [...entry.steps.values()].sort((a, b) => a.position - b.position).map((s) => structuredClone(s));
}

/** Stores a step write as a row, leaving out absent fields (absent means `undefined`). */
export function writeStep(entry: Entry, step: StepWrite): void {
  const row = Object.fromEntries(Object.entries(step).filter(([, v]) => v !== undefined)) as StepRecord;
  entry.steps.set(step.position, structuredClone(row));
}

export function applyPatch(record: ExecutionRecord, patch: ExecutionPatch): void {
  if (patch.data !== undefined) record.data = patch.data;
  if (patch.timeoutAt !== undefined) record.timeoutAt = new Date(patch.timeoutAt);
}

export function park(
  entry: Entry,
  reason: ExecutionRecord["waitReason"] & string,
  wakeAt: Date | undefined,
  patch: ExecutionPatch,
) {
  const record = entry.record;
  applyPatch(record, patch);
  record.status = "waiting";
  record.waitReason = reason;
  if (wakeAt === undefined) delete record.runAt;
  else record.runAt = new Date(wakeAt);
  clearLease(entry);
}

export function clearLease(entry: Entry): void {
  delete entry.token;
  delete entry.record.leaseOwner;
  delete entry.record.leaseExpiresAt;
}

/** A terminal status: lease cleared, unsettled children cancelled. */
export function finish(entry: Entry, status: "completed" | "failed" | "cancelled", now: Date): void {
  const record = entry.record;
  record.status = status;
  record.completedAt = new Date(now);
  delete record.runAt;
  delete record.waitReason;
  delete record.waitEvent;
  clearLease(entry);
  for (const step of entry.steps.values()) {
    if (step.kind === "parallel" && !isTerminal(step.status)) step.status = "cancelled";
  }
  entry.children.clear();
}
