import {
  type AwaitChildrenInput,
  type ChildWaitOutcome,
  ExecutionAlreadyExistsError,
  ExecutionNotFoundError,
  isTerminal,
  type StartChildInput,
  type StepRecord,
} from "@zart/core/store";
import { cancelUnsettledChildren } from "./children.js";
import { finish } from "./lifecycle.js";
import type { ExecutionRow, MemoryStorage } from "./memory-storage.js";
import { copy, makeDue, park, putStep } from "./rows.js";
import { archiveRun } from "./runs.js";

/**
 * Creates the child execution and records the parent's `child` step (see the contract); a step
 * already at the position is returned as is. Throws before changing anything.
 */
export function startChildExecution(
  storage: MemoryStorage,
  parent: ExecutionRow,
  input: StartChildInput,
  now: Date,
): StepRecord {
  const parentId = parent.record.executionId;
  const recorded = storage.steps(parentId).get(input.position);
  if (recorded) return copy(recorded.record);
  const existing = storage.execution(input.childId);
  if (existing !== undefined && !isTerminal(existing.record.status)) {
    throw new ExecutionAlreadyExistsError(input.childId);
  }
  const run = existing === undefined ? 1 : archiveRun(storage, input.childId);
  storage.insertExecution({
    record: {
      executionId: input.childId,
      ...(run > 1 ? { run } : {}),
      taskName: input.taskName,
      payload: input.payload,
      status: "pending",
      attempt: 0,
      runAt: new Date(now),
      scheduledAt: new Date(now),
      createdAt: new Date(now),
      parentId,
      detached: input.detached,
    },
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
  putStep(storage, parentId, step);
  return copy(step);
}

/** `settled` with the children's rows when all are terminal; otherwise parks the parent. */
export function awaitChildExecutions(
  storage: MemoryStorage,
  parent: ExecutionRow,
  input: AwaitChildrenInput,
  now: Date,
): ChildWaitOutcome {
  const children = input.childIds.map((id) => {
    const row = storage.execution(id);
    if (row === undefined) throw new ExecutionNotFoundError(id);
    return row;
  });
  if (children.every((row) => isTerminal(row.record.status))) {
    return { outcome: "settled", children: children.map((row) => copy(row.record)) };
  }
  putStep(storage, parent.record.executionId, {
    position: input.position,
    name: input.stepName,
    kind: "child",
    status: "waiting",
    attempts: 1,
    startedAt: new Date(now),
  });
  park(parent, "child-executions", input.wakeAt);
  return { outcome: "suspended" };
}

/**
 * Called when `child` just became terminal: a parent parked on child executions becomes due now.
 * Returns the parent's id when it was woken.
 */
export function wakeParent(storage: MemoryStorage, child: ExecutionRow, now: Date): string | undefined {
  const parentId = child.record.parentId;
  const parent = parentId === undefined ? undefined : storage.execution(parentId);
  if (parent === undefined || parent.record.status !== "waiting") return undefined;
  if (parent.record.waitReason !== "child-executions") return undefined;
  makeDue(parent.record, now);
  return parentId;
}

/**
 * Cancels the non-terminal, non-detached child executions of `executionId`, and theirs, with their
 * parallel children. Returns the ids cancelled.
 */
export function cancelChildExecutions(storage: MemoryStorage, executionId: string, now: Date): string[] {
  const cancelled: string[] = [];
  const queue = [executionId];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const row of storage.unfinishedExecutions()) {
      if (row.record.parentId !== id || row.record.detached) continue;
      finish(row, "cancelled", now);
      cancelUnsettledChildren(storage, row.record.executionId, now);
      cancelled.push(row.record.executionId);
      queue.push(row.record.executionId);
    }
  }
  return cancelled;
}
