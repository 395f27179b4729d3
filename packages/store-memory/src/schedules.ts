import type {
  DueSchedulesRequest,
  ScheduleListFilter,
  ScheduleWrite,
  StoredSchedule,
} from "@zart/core/store";
import type { MemoryStorage } from "./memory-storage.js";
import { newExecutionRecord } from "./rows.js";

export function copySchedule(row: StoredSchedule): StoredSchedule {
  return { ...row, ...(row.dueAt ? { dueAt: new Date(row.dueAt) } : {}) };
}

/**
 * Compare-and-set on `version`; creates the executions of `start` whose id is unknown. Returns the
 * ids created, or `undefined` when the version did not match (nothing written).
 */
export function writeSchedule(storage: MemoryStorage, write: ScheduleWrite, now: Date): string[] | undefined {
  const current = storage.schedules.get(write.schedule.scheduleId);
  if (!current || current.version !== write.expectedVersion) return undefined;
  storage.schedules.set(write.schedule.scheduleId, copySchedule(write.schedule));
  const created: string[] = [];
  for (const input of write.start) {
    if (storage.execution(input.executionId)) continue;
    storage.insertExecution({ record: newExecutionRecord(input, now) });
    created.push(input.executionId);
  }
  return created;
}

export function listSchedules(storage: MemoryStorage, filter: ScheduleListFilter): StoredSchedule[] {
  return [...storage.schedules.values()]
    .sort((a, b) => (a.scheduleId < b.scheduleId ? -1 : a.scheduleId > b.scheduleId ? 1 : 0))
    .slice(filter.offset, filter.offset + filter.limit)
    .map(copySchedule);
}

/** Due schedules of the given tasks, oldest `dueAt` first, then id. */
export function dueSchedules(storage: MemoryStorage, request: DueSchedulesRequest): StoredSchedule[] {
  const now = request.now.getTime();
  return [...storage.schedules.values()]
    .filter((row) => row.dueAt && row.dueAt.getTime() <= now && request.taskNames.includes(row.taskName))
    .sort(
      (a, b) =>
        (a.dueAt?.getTime() ?? 0) - (b.dueAt?.getTime() ?? 0) ||
        (a.scheduleId < b.scheduleId ? -1 : a.scheduleId > b.scheduleId ? 1 : 0),
    )
    .slice(0, request.limit)
    .map(copySchedule);
}
