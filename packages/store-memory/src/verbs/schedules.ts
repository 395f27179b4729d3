import {
  type DueSchedulesRequest,
  ScheduleAlreadyExistsError,
  type ScheduleListFilter,
  type ScheduleWrite,
  type StoredSchedule,
} from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import { newExecutionRecord } from "../storage/rows.js";

function copySchedule(row: StoredSchedule): StoredSchedule {
  return { ...row, ...(row.dueAt ? { dueAt: new Date(row.dueAt) } : {}) };
}

export function createSchedule(ctx: MemoryContext, schedule: StoredSchedule): void {
  const { schedules } = ctx.storage;
  if (schedules.has(schedule.scheduleId)) throw new ScheduleAlreadyExistsError(schedule.scheduleId);
  schedules.set(schedule.scheduleId, copySchedule(schedule));
}

/**
 * Compare-and-set on `version`; creates the executions of `start` whose id is unknown, emitting
 * `created` for each. False when the version did not match (nothing written).
 */
export function writeSchedule(ctx: MemoryContext, write: ScheduleWrite, now: Date): boolean {
  const { storage } = ctx;
  const current = storage.schedules.get(write.schedule.scheduleId);
  if (!current || current.version !== write.expectedVersion) return false;
  storage.schedules.set(write.schedule.scheduleId, copySchedule(write.schedule));
  const created: string[] = [];
  for (const input of write.start) {
    if (storage.execution(input.executionId)) continue;
    storage.insertExecution({ record: newExecutionRecord(input, now) });
    created.push(input.executionId);
  }
  for (const id of created) ctx.emit("created", id);
  return true;
}

export function deleteSchedule(ctx: MemoryContext, scheduleId: string): boolean {
  return ctx.storage.schedules.delete(scheduleId);
}

export function getSchedule(ctx: MemoryContext, scheduleId: string): StoredSchedule | undefined {
  const row = ctx.storage.schedules.get(scheduleId);
  return row && copySchedule(row);
}

export function listSchedules(ctx: MemoryContext, filter: ScheduleListFilter): StoredSchedule[] {
  return [...ctx.storage.schedules.values()]
    .sort((a, b) => (a.scheduleId < b.scheduleId ? -1 : a.scheduleId > b.scheduleId ? 1 : 0))
    .slice(filter.offset, filter.offset + filter.limit)
    .map(copySchedule);
}

/** Due schedules of the given tasks, oldest `dueAt` first, then id. */
export function dueSchedules(ctx: MemoryContext, request: DueSchedulesRequest): StoredSchedule[] {
  const now = request.now.getTime();
  return [...ctx.storage.schedules.values()]
    .filter((row) => row.dueAt && row.dueAt.getTime() <= now && request.taskNames.includes(row.taskName))
    .sort(
      (a, b) =>
        (a.dueAt?.getTime() ?? 0) - (b.dueAt?.getTime() ?? 0) ||
        (a.scheduleId < b.scheduleId ? -1 : a.scheduleId > b.scheduleId ? 1 : 0),
    )
    .slice(0, request.limit)
    .map(copySchedule);
}
