import { type ExecutionDetails, isTerminal, type ListFilter, type PurgeFilter } from "@zart/core/store";
import { details } from "../storage/rows.js";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

export function getExecution(storage: TutorialStorage, executionId: string): ExecutionDetails | undefined {
  const entry = storage.entries.get(executionId);
  return entry && details(entry);
}

export function listExecutions(storage: TutorialStorage, filter: ListFilter): ExecutionDetails[] {
  const matching = [...storage.entries.values()].filter(
    ({ record }) =>
      (filter.status === undefined || record.status === filter.status) &&
      (filter.taskName === undefined || record.taskName === filter.taskName) &&
      (filter.parentId === undefined || record.parentId === filter.parentId) &&
      (filter.version === undefined || record.version === filter.version),
  );
  matching.sort(
    (a, b) =>
      b.record.createdAt.getTime() - a.record.createdAt.getTime() ||
      a.record.executionId.localeCompare(b.record.executionId),
  );
  return matching.slice(filter.offset, filter.offset + filter.limit).map(details);
}

export function purge(storage: TutorialStorage, filter: PurgeFilter): number {
  let purged = 0;
  for (const [id, { record }] of storage.entries) {
    const old = record.completedAt !== undefined && record.completedAt < filter.olderThan;
    if (isTerminal(record.status) && old && (filter.statuses ?? [record.status]).includes(record.status)) {
      storage.entries.delete(id);
      purged++;
    }
  }
  return purged;
}
