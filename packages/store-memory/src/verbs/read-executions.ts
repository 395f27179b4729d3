import { isTerminal } from "@zart/core";
import {
  type ExecutionDetails,
  type ExecutionRecord,
  inQueue,
  type ListFilter,
  type PurgeFilter,
  type RunSummary,
} from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import type { ExecutionRow, MemoryStorage } from "../storage/memory-storage.js";
import { copy, detailsOf } from "../storage/rows.js";

export function getExecution(ctx: MemoryContext, executionId: string): ExecutionDetails | undefined {
  const row = ctx.storage.execution(executionId);
  return row === undefined ? undefined : detailsOf(ctx.storage, row);
}

/** Newest first: `createdAt` desc, then `executionId` asc. */
function newestFirst(a: ExecutionRow, b: ExecutionRow): number {
  const idA = a.record.executionId;
  const idB = b.record.executionId;
  return b.record.createdAt.getTime() - a.record.createdAt.getTime() || (idA < idB ? -1 : idA > idB ? 1 : 0);
}

/** Inside the created time range and after the keyset position (list order: newest first, then id). */
function inListWindow(record: ExecutionRecord, filter: ListFilter): boolean {
  const created = record.createdAt.getTime();
  if (filter.createdAfter !== undefined && created < filter.createdAfter.getTime()) return false;
  if (filter.createdBefore !== undefined && created >= filter.createdBefore.getTime()) return false;
  if (filter.after === undefined) return true;
  const at = filter.after.createdAt.getTime();
  return created < at || (created === at && record.executionId > filter.after.executionId);
}

/** The matching executions, newest first, from `offset`, at most `limit`, with steps and events. */
export function listExecutions(ctx: MemoryContext, filter: ListFilter): ExecutionDetails[] {
  const { storage } = ctx;
  const start = Math.max(0, filter.offset);
  return [...storage.executions()]
    .filter(
      ({ record }) =>
        (filter.status === undefined || record.status === filter.status) &&
        (filter.taskName === undefined || record.taskName === filter.taskName) &&
        (filter.parentId === undefined || record.parentId === filter.parentId) &&
        (filter.version === undefined || record.version === filter.version) &&
        inListWindow(record, filter) &&
        (filter.queue === undefined || inQueue(record.concurrencyKey, filter.queue)),
    )
    .sort(newestFirst)
    .slice(start, start + Math.max(0, filter.limit))
    .map((row) => detailsOf(storage, row));
}

/** Deletes terminal executions (of `statuses`, default all three) completed before `olderThan`. */
export function purge(ctx: MemoryContext, filter: PurgeFilter): number {
  const { storage } = ctx;
  const olderThan = filter.olderThan.getTime();
  const doomed = [...storage.executions()].filter(
    ({ record }) =>
      isTerminal(record.status) &&
      (filter.statuses === undefined || filter.statuses.includes(record.status)) &&
      record.completedAt !== undefined &&
      record.completedAt.getTime() < olderThan,
  );
  let purged = purgeRuns(storage, filter);
  const ids = new Set<string>();
  for (const { record } of doomed) {
    purged += 1 + storage.runs(record.executionId).length;
    storage.deleteExecution(record.executionId);
    ids.add(record.executionId);
  }
  // The debounce holders naming a purged execution go with it.
  for (const [key, holder] of storage.debounces)
    if (ids.has(holder.executionId)) storage.debounces.delete(key);
  return purged;
}

/** Deletes the archived runs that match the purge filter; returns how many. */
function purgeRuns(storage: MemoryStorage, filter: PurgeFilter): number {
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

export function getRun(ctx: MemoryContext, executionId: string, run: number): ExecutionDetails | undefined {
  const row = ctx.storage.execution(executionId);
  if (row !== undefined && (row.record.run ?? 1) === run) return detailsOf(ctx.storage, row);
  const archived = ctx.storage.runs(executionId).find((details) => details.execution.run === run);
  return archived === undefined ? undefined : structuredClone(archived);
}

export function listRuns(ctx: MemoryContext, executionId: string): RunSummary[] {
  const current = ctx.storage.execution(executionId);
  const records = ctx.storage.runs(executionId).map(({ execution }) => execution);
  if (current !== undefined) records.push(copy(current.record));
  return records.reverse().map((record) => ({
    run: record.run ?? 1,
    status: record.status,
    taskName: record.taskName,
    createdAt: record.createdAt,
    ...(record.completedAt ? { completedAt: new Date(record.completedAt) } : {}),
  }));
}
