import {
  type ExecutionDetails,
  ExecutionNotFoundError,
  type ExecutionPatch,
  type ExecutionRecord,
  isTerminal,
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
