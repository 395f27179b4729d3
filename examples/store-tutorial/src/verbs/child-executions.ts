import {
  type AwaitChildrenInput,
  type ChildWaitOutcome,
  ExecutionAlreadyExistsError,
  ExecutionNotFoundError,
  type ExecutionPatch,
  isTerminal,
  type Lease,
  type StartChildInput,
  type StepRecord,
} from "@zart/core/store";
import { fenced } from "../storage/fencing.js";
import { applyPatch, park, writeStep } from "../storage/rows.js";
import { insertRun } from "../storage/runs.js";
import type { Entry, TutorialStorage } from "../storage/tutorial-storage.js";

export function startChildExecution(
  storage: TutorialStorage,
  lease: Lease,
  input: StartChildInput,
  patch: ExecutionPatch,
  now: Date,
): StepRecord {
  const parent = fenced(storage, lease);
  const step = startChild(storage, parent, input, now);
  applyPatch(parent.record, patch);
  return step;
}

export function awaitChildExecutions(
  storage: TutorialStorage,
  lease: Lease,
  input: AwaitChildrenInput,
  patch: ExecutionPatch,
  now: Date,
): ChildWaitOutcome {
  const parent = fenced(storage, lease);
  const outcome = awaitChildren(storage.entries, parent, input, now);
  applyPatch(parent.record, patch);
  return outcome;
}

/** Creates the child execution and records the parent's `child` step; a recorded step is returned as is. */
function startChild(storage: TutorialStorage, parent: Entry, input: StartChildInput, now: Date): StepRecord {
  const recorded = parent.steps.get(input.position);
  if (recorded) return structuredClone(recorded);
  const existing = storage.entries.get(input.childId);
  if (existing && !isTerminal(existing.record.status)) throw new ExecutionAlreadyExistsError(input.childId);
  insertRun(storage, {
    executionId: input.childId,
    taskName: input.taskName,
    payload: input.payload,
    status: "pending",
    attempt: 0,
    runAt: new Date(now),
    scheduledAt: new Date(now),
    createdAt: new Date(now),
    parentId: parent.record.executionId,
    detached: input.detached,
  });
  const step: StepRecord = {
    position: input.position,
    name: input.stepName,
    kind: "child",
    status: "completed",
    result: JSON.stringify(input.childId),
    attempts: 1,
    startedAt: new Date(now),
    completedAt: new Date(now),
  };
  writeStep(parent, step);
  return structuredClone(step);
}

/** `settled` when every awaited child is terminal; otherwise the parent parks on them. */
function awaitChildren(
  entries: Map<string, Entry>,
  parent: Entry,
  input: AwaitChildrenInput,
  now: Date,
): ChildWaitOutcome {
  const children = input.childIds.map((id) => {
    const child = entries.get(id);
    if (!child) throw new ExecutionNotFoundError(id);
    return child;
  });
  if (children.every((child) => isTerminal(child.record.status))) {
    return { outcome: "settled", children: children.map((child) => structuredClone(child.record)) };
  }
  const step = { position: input.position, name: input.stepName, kind: "child", attempts: 1 } as const;
  writeStep(parent, { ...step, status: "waiting", startedAt: now });
  park(parent, "child-executions", input.wakeAt, {});
  return { outcome: "suspended" };
}

/** Settling a child execution: `entry` just became terminal, so a parent parked on it is due now. */
export function wakeParent(entries: Map<string, Entry>, entry: Entry, now: Date): void {
  const parentId = entry.record.parentId;
  const parent = parentId === undefined ? undefined : entries.get(parentId);
  if (parent?.record.status !== "waiting" || parent.record.waitReason !== "child-executions") return;
  parent.record.status = "pending";
  parent.record.runAt = new Date(now);
  delete parent.record.waitReason;
}
