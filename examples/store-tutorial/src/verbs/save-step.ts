import type { ExecutionPatch, Lease, StepWrite } from "@zart/core/store";
import { fenced } from "../storage/fencing.js";
import { applyPatch, writeStep } from "../storage/rows.js";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

export function saveStep(
  storage: TutorialStorage,
  lease: Lease,
  step: StepWrite,
  patch: ExecutionPatch,
): void {
  const entry = fenced(storage, lease);
  writeStep(entry, step);
  applyPatch(entry.record, patch);
}
