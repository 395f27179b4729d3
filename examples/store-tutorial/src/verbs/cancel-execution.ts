import { isTerminal } from "@zart/core/store";
import { entryOf, finish } from "../storage/rows.js";
import type { Entry, TutorialStorage } from "../storage/tutorial-storage.js";
import { wakeParent } from "./child-executions.js";

/** False when already terminal; otherwise the child executions are cancelled too and a waiting parent woken. */
export function cancelExecution(storage: TutorialStorage, executionId: string, now: Date): boolean {
  const entry = entryOf(storage, executionId);
  if (isTerminal(entry.record.status)) return false;
  finish(entry, "cancelled", now);
  cancelChildren(storage.entries, executionId, now);
  wakeParent(storage.entries, entry, now);
  return true;
}

/** Cancels the unfinished, non-detached child executions of `executionId`, recursively. */
function cancelChildren(entries: Map<string, Entry>, executionId: string, now: Date): void {
  for (const child of entries.values()) {
    const { record } = child;
    if (record.parentId !== executionId || record.detached || isTerminal(record.status)) continue;
    finish(child, "cancelled", now);
    cancelChildren(entries, record.executionId, now);
  }
}
