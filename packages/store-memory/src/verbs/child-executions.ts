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
import type { MemoryContext } from "../storage/context.js";
import { fenceExecution } from "../storage/fencing.js";
import type { ExecutionRow } from "../storage/memory-storage.js";
import { applyPatch, copy, makeDue, park, putStep } from "../storage/rows.js";
import { archiveRun } from "../storage/runs.js";

/**
 * Creates the child execution and records the parent's `child` step (see the contract); a step
 * already at the position is returned as is. Throws before changing anything.
 */
export function startChildExecution(
  ctx: MemoryContext,
  lease: Lease,
  input: StartChildInput,
  patch: ExecutionPatch,
  now: Date,
): StepRecord {
  const { storage } = ctx;
  const parent = fenceExecution(storage, lease);
  const parentId = parent.record.executionId;
  const recorded = storage.steps(parentId).get(input.position);
  if (recorded) {
    applyPatch(parent.record, patch);
    return copy(recorded.record);
  }
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
      ...(input.version === undefined ? {} : { version: input.version }),
      payload: input.payload,
      status: "pending",
      attempt: 0,
      runAt: new Date(now),
      scheduledAt: new Date(now),
      createdAt: new Date(now),
      parentId,
      detached: input.detached,
      ...(input.traceContext === undefined ? {} : { traceContext: input.traceContext }),
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
  applyPatch(parent.record, patch);
  ctx.emit("created", input.childId);
  return copy(step);
}

/** `settled` with the children's rows when all are terminal; otherwise parks the parent. */
export function awaitChildExecutions(
  ctx: MemoryContext,
  lease: Lease,
  input: AwaitChildrenInput,
  patch: ExecutionPatch,
  now: Date,
): ChildWaitOutcome {
  const parent = fenceExecution(ctx.storage, lease);
  const outcome = awaitChildren(ctx, parent, input, now);
  applyPatch(parent.record, patch);
  return outcome;
}

function awaitChildren(
  ctx: MemoryContext,
  parent: ExecutionRow,
  input: AwaitChildrenInput,
  now: Date,
): ChildWaitOutcome {
  const children = input.childIds.map((id) => {
    const row = ctx.storage.execution(id);
    if (row === undefined) throw new ExecutionNotFoundError(id);
    return row;
  });
  if (children.every((row) => isTerminal(row.record.status))) {
    return { outcome: "settled", children: children.map((row) => copy(row.record)) };
  }
  putStep(ctx.storage, parent.record.executionId, {
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

/** Settling a child execution: `child` just became terminal, so a parent parked on child executions is due now. */
export function wakeParent(ctx: MemoryContext, child: ExecutionRow, now: Date): void {
  const parentId = child.record.parentId;
  const parent = parentId === undefined ? undefined : ctx.storage.execution(parentId);
  if (parent === undefined || parent.record.status !== "waiting") return;
  if (parent.record.waitReason !== "child-executions") return;
  makeDue(parent.record, now);
  ctx.emit("child", parent.record.executionId);
}
