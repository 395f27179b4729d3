import type { ExecutionPatch, Lease, SuspendInput } from "@zart/core/store";
import { fenced } from "../storage/fencing.js";
import { park, writeStep } from "../storage/rows.js";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

export function suspend(
  storage: TutorialStorage,
  lease: Lease,
  input: SuspendInput,
  patch: ExecutionPatch,
): void {
  const entry = fenced(storage, lease);
  if (input.step) writeStep(entry, input.step);
  park(entry, input.reason, input.wakeAt, patch);
}
