import type {
  DueSchedulesRequest,
  ExecutionRecord,
  NewExecution,
  ScheduleListFilter,
  ScheduleWrite,
  StoredSchedule,
} from "@zart/core/store";
import type { Entry } from "./tutorial-storage.js";

/** Stores a new `pending` execution for `input` (replacing whatever had its id) and returns its record. */
export function insertPending(entries: Map<string, Entry>, input: NewExecution, now: Date): ExecutionRecord {
  const record: ExecutionRecord = {
    executionId: input.executionId,
    taskName: input.taskName,
    payload: input.payload,
    status: "pending",
    attempt: 0,
    runAt: new Date(input.runAt),
    scheduledAt: new Date(input.runAt),
    createdAt: new Date(now),
    ...(input.priority ? { priority: input.priority } : {}),
    ...(input.concurrencyKey === undefined ? {} : { concurrencyKey: input.concurrencyKey }),
  };
  entries.set(input.executionId, { record, steps: new Map(), children: new Map(), events: [] });
  return record;
}

/**
 * The one write of schedules: compare `version`, replace the row, insert the fires' executions
 * whose id is unknown. Synchronous, so atomic in this one process (a database store does it in one
 * transaction, its UPDATE guarded by `version = expectedVersion`).
 */
export function writeSchedule(
  schedules: Map<string, StoredSchedule>,
  entries: Map<string, Entry>,
  write: ScheduleWrite,
  now: Date,
): boolean {
  const current = schedules.get(write.schedule.scheduleId);
  if (!current || current.version !== write.expectedVersion) return false;
  schedules.set(write.schedule.scheduleId, structuredClone(write.schedule));
  for (const input of write.start) {
    if (!entries.has(input.executionId)) insertPending(entries, input, now);
  }
  return true;
}

const byId = (a: StoredSchedule, b: StoredSchedule) =>
  a.scheduleId < b.scheduleId ? -1 : a.scheduleId > b.scheduleId ? 1 : 0;

export function listSchedules(
  schedules: Map<string, StoredSchedule>,
  filter: ScheduleListFilter,
): StoredSchedule[] {
  return structuredClone(
    [...schedules.values()].sort(byId).slice(filter.offset, filter.offset + filter.limit),
  );
}

export function dueSchedules(
  schedules: Map<string, StoredSchedule>,
  request: DueSchedulesRequest,
): StoredSchedule[] {
  const due = [...schedules.values()].filter(
    (s) => s.dueAt && s.dueAt <= request.now && request.taskNames.includes(s.taskName),
  );
  due.sort((a, b) => (a.dueAt?.getTime() ?? 0) - (b.dueAt?.getTime() ?? 0) || byId(a, b));
  return structuredClone(due.slice(0, request.limit));
}
