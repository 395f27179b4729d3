import { type CreateOutcome, isTerminal, type NewExecution } from "@zart/core/store";
import { insertPending } from "../storage/runs.js";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

/** Each item as `createExecution`, in one synchronous pass; a held id is answered `exists`. */
export function createExecutions(
  storage: TutorialStorage,
  inputs: readonly NewExecution[],
  now: Date,
): CreateOutcome[] {
  return inputs.map((input) => {
    const existing = storage.entries.get(input.executionId);
    if (existing && !isTerminal(existing.record.status)) return "exists";
    insertPending(storage, input, now);
    return "created";
  });
}
