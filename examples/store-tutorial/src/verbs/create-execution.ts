import {
  ExecutionAlreadyExistsError,
  type ExecutionRecord,
  isTerminal,
  type NewExecution,
} from "@zart/core/store";
import { insertPending } from "../storage/runs.js";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

export function createExecution(storage: TutorialStorage, input: NewExecution, now: Date): ExecutionRecord {
  const existing = storage.entries.get(input.executionId);
  if (existing && !isTerminal(existing.record.status))
    throw new ExecutionAlreadyExistsError(input.executionId);
  return structuredClone(insertPending(storage, input, now));
}
