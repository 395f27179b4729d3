import {
  type ChildLease,
  type ChildOutcome,
  isTerminal,
  type RetryChildInput,
  type StepRecord,
} from "@zart/core/store";
import { fenced } from "../storage/fencing.js";
import { writeStep } from "../storage/rows.js";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

export function settleChild(
  storage: TutorialStorage,
  lease: ChildLease,
  outcome: ChildOutcome,
  now: Date,
): void {
  const entry = fenced(storage, lease);
  entry.children.delete(lease.childPosition);
  writeStep(entry, {
    ...(entry.steps.get(lease.childPosition) as StepRecord),
    ...outcome,
    error: outcome.error,
    completedAt: now,
  });
  const record = entry.record;
  const unsettled = [...entry.steps.values()].some((s) => s.kind === "parallel" && !isTerminal(s.status));
  if (!unsettled && record.status === "waiting" && record.waitReason === "children") {
    record.status = "pending";
    record.runAt = new Date(now);
    delete record.waitReason;
  }
}

export function retryChild(storage: TutorialStorage, lease: ChildLease, input: RetryChildInput): void {
  const entry = fenced(storage, lease);
  entry.children.delete(lease.childPosition);
  const { error, attempts, wakeAt } = input;
  const step = entry.steps.get(lease.childPosition) as StepRecord;
  writeStep(entry, { ...step, status: "pending", error, attempts, wakeAt });
}
