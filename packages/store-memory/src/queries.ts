import { isTerminal } from "@zart/core";
import type { ExecutionDetails, ListFilter, PurgeFilter } from "@zart/core/store";
import type { ExecutionRow, MemoryStorage } from "./memory-storage.js";
import { detailsOf } from "./rows.js";
import { purgeRuns } from "./runs.js";

/** Newest first: `createdAt` desc, then `executionId` asc. */
function newestFirst(a: ExecutionRow, b: ExecutionRow): number {
  const idA = a.record.executionId;
  const idB = b.record.executionId;
  return b.record.createdAt.getTime() - a.record.createdAt.getTime() || (idA < idB ? -1 : idA > idB ? 1 : 0);
}

/** The matching executions, newest first, from `offset`, at most `limit`, with steps and events. */
export function listExecutions(storage: MemoryStorage, filter: ListFilter): ExecutionDetails[] {
  const start = Math.max(0, filter.offset);
  return [...storage.executions()]
    .filter(
      ({ record }) =>
        (filter.status === undefined || record.status === filter.status) &&
        (filter.taskName === undefined || record.taskName === filter.taskName) &&
        (filter.parentId === undefined || record.parentId === filter.parentId),
    )
    .sort(newestFirst)
    .slice(start, start + Math.max(0, filter.limit))
    .map((row) => detailsOf(storage, row));
}

/** Deletes terminal executions (of `statuses`, default all three) completed before `olderThan`. */
export function purge(storage: MemoryStorage, filter: PurgeFilter): number {
  const olderThan = filter.olderThan.getTime();
  const doomed = [...storage.executions()].filter(
    ({ record }) =>
      isTerminal(record.status) &&
      (filter.statuses === undefined || filter.statuses.includes(record.status)) &&
      record.completedAt !== undefined &&
      record.completedAt.getTime() < olderThan,
  );
  let purged = purgeRuns(storage, filter);
  for (const { record } of doomed) {
    purged += 1 + storage.runs(record.executionId).length;
    storage.deleteExecution(record.executionId);
  }
  return purged;
}
