import {
  type ExecutionDetails,
  type ExecutionRecord,
  inQueue,
  isTerminal,
  type ListFilter,
  type PurgeFilter,
  type RunSummary,
} from "@zart/core/store";
import { details } from "../storage/rows.js";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

export function getExecution(storage: TutorialStorage, executionId: string): ExecutionDetails | undefined {
  const entry = storage.entries.get(executionId);
  return entry && details(entry);
}

/** Inside the created time range and after the keyset position (newest first, then id). */
function inListWindow(record: ExecutionRecord, filter: ListFilter): boolean {
  const created = record.createdAt.getTime();
  if (filter.createdAfter && created < filter.createdAfter.getTime()) return false;
  if (filter.createdBefore && created >= filter.createdBefore.getTime()) return false;
  if (!filter.after) return true;
  const at = filter.after.createdAt.getTime();
  return created < at || (created === at && record.executionId > filter.after.executionId);
}

export function listExecutions(storage: TutorialStorage, filter: ListFilter): ExecutionDetails[] {
  const matching = [...storage.entries.values()].filter(
    ({ record }) =>
      (filter.status === undefined || record.status === filter.status) &&
      (filter.taskName === undefined || record.taskName === filter.taskName) &&
      (filter.parentId === undefined || record.parentId === filter.parentId) &&
      (filter.version === undefined || record.version === filter.version) &&
      inListWindow(record, filter) &&
      (filter.queue === undefined || inQueue(record.concurrencyKey, filter.queue)),
  );
  matching.sort(
    (a, b) =>
      b.record.createdAt.getTime() - a.record.createdAt.getTime() ||
      (a.record.executionId < b.record.executionId
        ? -1
        : a.record.executionId > b.record.executionId
          ? 1
          : 0),
  );
  return matching.slice(filter.offset, filter.offset + filter.limit).map(details);
}

/** Terminal, of the filter's statuses (default: all) and completed before `olderThan`. */
function purgeable(record: ExecutionRecord, filter: PurgeFilter): boolean {
  const old = record.completedAt !== undefined && record.completedAt < filter.olderThan;
  return isTerminal(record.status) && old && (filter.statuses ?? [record.status]).includes(record.status);
}

/**
 * Deletes the matching archived runs, then the matching executions with every run they still have
 * and the debounce holders naming them.
 */
export function purge(storage: TutorialStorage, filter: PurgeFilter): number {
  let purged = 0;
  for (const [id, runs] of storage.runs) {
    const kept = runs.filter(({ execution }) => !purgeable(execution, filter));
    purged += runs.length - kept.length;
    if (kept.length > 0) storage.runs.set(id, kept);
    else storage.runs.delete(id);
  }
  for (const [id, { record }] of storage.entries) {
    if (purgeable(record, filter)) {
      purged += 1 + (storage.runs.get(id)?.length ?? 0);
      storage.entries.delete(id);
      storage.runs.delete(id);
    }
  }
  // A debounce holder naming a purged execution goes with it (a later start would only overwrite it).
  for (const [key, holder] of storage.debounces) {
    if (!storage.entries.has(holder.executionId)) storage.debounces.delete(key);
  }
  return purged;
}

/** The current run when its number matches, else an archived one; `undefined` when unknown. */
export function getRun(
  storage: TutorialStorage,
  executionId: string,
  run: number,
): ExecutionDetails | undefined {
  const entry = storage.entries.get(executionId);
  if (entry && (entry.record.run ?? 1) === run) return details(entry);
  return structuredClone(storage.runs.get(executionId)?.find(({ execution }) => execution.run === run));
}

export function listRuns(storage: TutorialStorage, executionId: string): RunSummary[] {
  const records = (storage.runs.get(executionId) ?? []).map(({ execution }) => execution);
  const current = storage.entries.get(executionId);
  if (current) records.push(current.record);
  return records.reverse().map((record) => ({
    run: record.run ?? 1,
    status: record.status,
    taskName: record.taskName,
    createdAt: new Date(record.createdAt),
    ...(record.completedAt ? { completedAt: new Date(record.completedAt) } : {}),
  }));
}
