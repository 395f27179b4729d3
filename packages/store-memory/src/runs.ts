import { isTerminal } from "@zart/core";
import type { ExecutionDetails, ExecutionRecord, PurgeFilter, RunSummary } from "@zart/core/store";
import type { MemoryStorage } from "./memory-storage.js";
import { copy, detailsOf } from "./rows.js";

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

/** Run `run` of the id, archived or current; `undefined` when unknown. */
export function getRun(
  storage: MemoryStorage,
  executionId: string,
  run: number,
): ExecutionDetails | undefined {
  const row = storage.execution(executionId);
  if (row !== undefined && (row.record.run ?? 1) === run) return detailsOf(storage, row);
  const archived = storage.runs(executionId).find((details) => details.execution.run === run);
  return archived === undefined ? undefined : structuredClone(archived);
}

/** Every run of the id, the current one included, newest first. */
export function listRuns(storage: MemoryStorage, executionId: string): RunSummary[] {
  const current = storage.execution(executionId);
  const records = storage.runs(executionId).map(({ execution }) => execution);
  if (current !== undefined) records.push(copy(current.record));
  return records.reverse().map((record) => ({
    run: record.run ?? 1,
    status: record.status,
    taskName: record.taskName,
    createdAt: record.createdAt,
    ...(record.completedAt ? { completedAt: new Date(record.completedAt) } : {}),
  }));
}

/** Deletes the archived runs that match the purge filter; returns how many. */
export function purgeRuns(storage: MemoryStorage, filter: PurgeFilter): number {
  let purged = 0;
  for (const id of [...storage.runIds()]) {
    const runs = storage.runs(id);
    const kept = runs.filter(
      ({ execution }) =>
        !isTerminal(execution.status) ||
        (filter.statuses !== undefined && !filter.statuses.includes(execution.status)) ||
        execution.completedAt === undefined ||
        execution.completedAt.getTime() >= filter.olderThan.getTime(),
    );
    purged += runs.length - kept.length;
    storage.keepRuns(id, kept);
  }
  return purged;
}
