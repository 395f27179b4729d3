import type {
  ChildOutcome,
  DispatchChildrenInput,
  DispatchOutcome,
  RetryChildInput,
  StepRecord,
} from "@zart/core/store";
import type { ExecutionRow, MemoryStorage, StepRow } from "./memory-storage.js";
import { compact, copy, makeDue, park, sortedSteps } from "./rows.js";

const SETTLED: ReadonlySet<StepRecord["status"]> = new Set(["completed", "failed", "cancelled"]);

function isUnsettledChild(step: StepRecord): boolean {
  return step.kind === "parallel" && !SETTLED.has(step.status);
}

function hasUnsettledChild(storage: MemoryStorage, executionId: string): boolean {
  for (const { record } of storage.steps(executionId).values()) if (isUnsettledChild(record)) return true;
  return false;
}

/**
 * Inserts the children that do not exist yet (pending, due now). If any child of the execution is
 * unsettled the execution parks on them until `wakeAt`; otherwise it keeps its lease and gets the
 * rows of all its children back (a superset of those requested), ordered by position.
 */
export function dispatchChildren(
  storage: MemoryStorage,
  row: ExecutionRow,
  input: DispatchChildrenInput,
  now: Date,
): DispatchOutcome {
  const steps = storage.steps(row.record.executionId);
  for (const { position, name } of input.children) {
    if (steps.has(position)) continue;
    steps.set(position, {
      record: { position, name, kind: "parallel", status: "pending", attempts: 0 },
      dueAt: new Date(now),
    });
  }
  if (hasUnsettledChild(storage, row.record.executionId)) {
    park(row, "children", input.wakeAt);
    return { suspended: true };
  }
  const children = sortedSteps(storage, row.record.executionId)
    .filter((step) => step.record.kind === "parallel")
    .map((step) => copy(step.record));
  return { suspended: false, children };
}

/**
 * Records a child's outcome and clears its lease. If it was the last unsettled child and the parent
 * waits on its children, the parent becomes due now; returns whether it woke the parent (only one
 * settle can, as the parent stops waiting on children).
 */
export function settleChild(
  storage: MemoryStorage,
  parent: ExecutionRow,
  child: StepRow,
  outcome: ChildOutcome,
  now: Date,
): boolean {
  const { position, name, kind, startedAt } = child.record;
  child.record = compact({
    position,
    name,
    kind,
    status: outcome.status,
    result: outcome.result,
    error: outcome.error && copy(outcome.error),
    attempts: outcome.attempts,
    startedAt,
    completedAt: new Date(now),
  });
  delete child.lease;
  const record = parent.record;
  if (record.status !== "waiting" || record.waitReason !== "children") return false;
  if (hasUnsettledChild(storage, record.executionId)) return false;
  makeDue(record, now);
  return true;
}

/** Records a failed attempt and parks the child (`pending`, lease cleared) until `input.wakeAt`. */
export function retryChild(child: StepRow, input: RetryChildInput): void {
  const record = child.record;
  record.status = "pending";
  record.error = copy(input.error);
  record.attempts = input.attempts;
  record.wakeAt = new Date(input.wakeAt);
  child.dueAt = new Date(input.wakeAt);
  delete child.lease;
}

/** Cancels every unsettled child of the execution and clears their leases. */
export function cancelUnsettledChildren(storage: MemoryStorage, executionId: string, now: Date): void {
  for (const child of storage.steps(executionId).values()) {
    if (!isUnsettledChild(child.record)) continue;
    child.record.status = "cancelled";
    child.record.completedAt = new Date(now);
    delete child.lease;
    delete child.dueAt;
  }
}
