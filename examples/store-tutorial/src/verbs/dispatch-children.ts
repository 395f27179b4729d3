import {
  type DispatchChildrenInput,
  type DispatchOutcome,
  type ExecutionPatch,
  isTerminal,
  type Lease,
} from "@zart/core/store";
import { fenced } from "../storage/fencing.js";
import { applyPatch, park, sortedSteps } from "../storage/rows.js";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

export function dispatchChildren(
  storage: TutorialStorage,
  lease: Lease,
  input: DispatchChildrenInput,
  patch: ExecutionPatch,
  now: Date,
): DispatchOutcome {
  const entry = fenced(storage, lease);
  applyPatch(entry.record, patch);
  for (const { position, name } of input.children) {
    if (!entry.steps.has(position)) {
      entry.steps.set(position, {
        position,
        name,
        kind: "parallel",
        status: "pending",
        attempts: 0,
        wakeAt: now,
      });
    }
  }
  const parallel = sortedSteps(entry).filter((step) => step.kind === "parallel");
  if (parallel.some((step) => !isTerminal(step.status))) {
    park(entry, "children", input.wakeAt, {});
    return { suspended: true };
  }
  const positions = new Set(input.children.map((child) => child.position));
  return { suspended: false, children: parallel.filter((step) => positions.has(step.position)) };
}
