import type { DispatchChildrenInput, DispatchOutcome, ExecutionPatch, Lease } from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import { fenceExecution } from "../storage/fencing.js";
import { hasUnsettledChild } from "../storage/lifecycle.js";
import { applyPatch, copy, park, sortedSteps } from "../storage/rows.js";

/**
 * Inserts the children that do not exist yet (pending, due now). If any child of the execution is
 * unsettled the execution parks on them until `wakeAt`; otherwise it keeps its lease and gets the
 * rows of all its children back (a superset of those requested), ordered by position.
 */
export function dispatchChildren(
  ctx: MemoryContext,
  lease: Lease,
  input: DispatchChildrenInput,
  patch: ExecutionPatch,
  now: Date,
): DispatchOutcome {
  const { storage } = ctx;
  const row = fenceExecution(storage, lease);
  applyPatch(row.record, patch);
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
