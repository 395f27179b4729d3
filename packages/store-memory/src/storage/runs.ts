import type { ExecutionRecord } from "@zart/core/store";
import type { MemoryStorage } from "./memory-storage.js";
import { detailsOf } from "./rows.js";

/** Archives the terminal execution of `executionId` as its run; returns the next run number. */
export function archiveRun(storage: MemoryStorage, executionId: string): number {
  const row = storage.execution(executionId);
  if (row === undefined) return 1;
  const details = detailsOf(storage, row);
  const run = details.execution.run ?? 1;
  storage.archiveRun({ ...details, execution: { ...details.execution, run } });
  return run + 1;
}

/** Inserts the record as the id's next run, archiving the terminal execution it replaces. */
export function insertRun(storage: MemoryStorage, record: ExecutionRecord): ExecutionRecord {
  const run =
    storage.execution(record.executionId) === undefined ? 1 : archiveRun(storage, record.executionId);
  const inserted = run > 1 ? { ...record, run } : record;
  storage.insertExecution({ record: inserted });
  return inserted;
}
