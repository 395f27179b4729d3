import {
  type DueSchedulesRequest,
  ScheduleAlreadyExistsError,
  type ScheduleListFilter,
  type ScheduleWrite,
  type StoredSchedule,
} from "@zart/core/store";
import { insertPending } from "../storage/runs.js";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

// Schedules are rows the engine encodes; the store compares `version` and inserts the fires.

export function createSchedule(storage: TutorialStorage, schedule: StoredSchedule): void {
  if (storage.schedules.has(schedule.scheduleId)) throw new ScheduleAlreadyExistsError(schedule.scheduleId);
  storage.schedules.set(schedule.scheduleId, structuredClone(schedule));
}

/**
 * The one write of schedules: compare `version`, replace the row, insert the fires' executions
 * whose id is unknown. Synchronous, so atomic in this one process (a database store does it in one
 * transaction, its UPDATE guarded by `version = expectedVersion`).
 */
export function writeSchedule(storage: TutorialStorage, write: ScheduleWrite, now: Date): boolean {
  const { schedules, entries } = storage;
  const current = schedules.get(write.schedule.scheduleId);
  if (!current || current.version !== write.expectedVersion) return false;
  schedules.set(write.schedule.scheduleId, structuredClone(write.schedule));
  for (const input of write.start) {
    if (!entries.has(input.executionId)) insertPending(storage, input, now);
  }
  return true;
}

export function deleteSchedule(storage: TutorialStorage, scheduleId: string): boolean {
  return storage.schedules.delete(scheduleId);
}

export function getSchedule(storage: TutorialStorage, scheduleId: string): StoredSchedule | undefined {
  return structuredClone(storage.schedules.get(scheduleId));
}

const byId = (a: StoredSchedule, b: StoredSchedule) =>
  a.scheduleId < b.scheduleId ? -1 : a.scheduleId > b.scheduleId ? 1 : 0;

export function listSchedules(storage: TutorialStorage, filter: ScheduleListFilter): StoredSchedule[] {
  return structuredClone(
    [...storage.schedules.values()].sort(byId).slice(filter.offset, filter.offset + filter.limit),
  );
}

export function dueSchedules(storage: TutorialStorage, request: DueSchedulesRequest): StoredSchedule[] {
  const due = [...storage.schedules.values()].filter(
    (s) => s.dueAt && s.dueAt <= request.now && request.taskNames.includes(s.taskName),
  );
  due.sort((a, b) => (a.dueAt?.getTime() ?? 0) - (b.dueAt?.getTime() ?? 0) || byId(a, b));
  return structuredClone(due.slice(0, request.limit));
}
