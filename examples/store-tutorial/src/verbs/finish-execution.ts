import type {
  CompleteExecutionInput,
  ExecutionPatch,
  FailExecutionInput,
  Lease,
  RetryExecutionInput,
} from "@zart/core/store";
import { fenced } from "../storage/fencing.js";
import { applyPatch, clearLease, finish } from "../storage/rows.js";
import type { TutorialStorage } from "../storage/tutorial-storage.js";
import { wakeParent } from "./child-executions.js";

export function retryExecution(
  storage: TutorialStorage,
  lease: Lease,
  input: RetryExecutionInput,
  patch: ExecutionPatch,
): void {
  const entry = fenced(storage, lease);
  const record = entry.record;
  applyPatch(record, patch);
  for (const [position, step] of entry.steps) if (step.status !== "completed") entry.steps.delete(position);
  record.attempt++;
  record.status = "pending";
  record.runAt = new Date(input.runAt);
  record.error = input.error;
  record.waitReason = "retry";
  clearLease(entry);
}

export function completeExecution(
  storage: TutorialStorage,
  lease: Lease,
  input: CompleteExecutionInput,
  patch: ExecutionPatch,
  now: Date,
): void {
  const entry = fenced(storage, lease);
  applyPatch(entry.record, patch);
  delete entry.record.error;
  if (input.result !== undefined) entry.record.result = input.result;
  finish(entry, "completed", now);
  wakeParent(storage.entries, entry, now);
}

export function failExecution(
  storage: TutorialStorage,
  lease: Lease,
  input: FailExecutionInput,
  patch: ExecutionPatch,
  now: Date,
): void {
  const entry = fenced(storage, lease);
  applyPatch(entry.record, patch);
  entry.record.error = input.error;
  finish(entry, "failed", now);
  wakeParent(storage.entries, entry, now);
}
