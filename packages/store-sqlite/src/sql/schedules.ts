import type {
  DueSchedulesRequest,
  ScheduleListFilter,
  ScheduleWrite,
  StoredSchedule,
} from "@zart/core/store";
import { ScheduleAlreadyExistsError } from "@zart/core/store";
import { and, asc, eq, inArray, isNotNull, lte } from "drizzle-orm";
import type { Orm } from "../rows.js";
import { executions, type ScheduleRow, schedules } from "../schema.js";
import { createExecution } from "./create-execution.js";

function toStored(row: ScheduleRow): StoredSchedule {
  return {
    scheduleId: row.scheduleId,
    taskName: row.taskName,
    ...(row.dueAt ? { dueAt: row.dueAt } : {}),
    version: row.version,
    body: row.body,
  };
}

function columns(schedule: StoredSchedule) {
  return {
    taskName: schedule.taskName,
    dueAt: schedule.dueAt ?? null,
    version: schedule.version,
    body: schedule.body,
  };
}

/** Inserts; an id in use → `ScheduleAlreadyExistsError` (run in the caller's `BEGIN IMMEDIATE`). */
export function createSchedule(orm: Orm, schedule: StoredSchedule): void {
  const inserted = orm
    .insert(schedules)
    .values({ scheduleId: schedule.scheduleId, ...columns(schedule) })
    .onConflictDoNothing()
    .returning({ id: schedules.scheduleId })
    .all();
  if (inserted.length === 0) throw new ScheduleAlreadyExistsError(schedule.scheduleId);
}

/**
 * Compare-and-set on `version`, then the fires' executions whose id is unknown, all in the caller's
 * `BEGIN IMMEDIATE` transaction (one writer at a time). Returns the ids created, or `undefined`
 * when the version did not match.
 */
export function writeSchedule(orm: Orm, write: ScheduleWrite, now: Date): string[] | undefined {
  const { schedule } = write;
  const updated = orm
    .update(schedules)
    .set(columns(schedule))
    .where(and(eq(schedules.scheduleId, schedule.scheduleId), eq(schedules.version, write.expectedVersion)))
    .returning({ id: schedules.scheduleId })
    .all();
  if (updated.length === 0) return undefined;
  const created: string[] = [];
  for (const input of write.start) {
    const known = orm
      .select({ id: executions.executionId })
      .from(executions)
      .where(eq(executions.executionId, input.executionId))
      .get();
    if (known) continue;
    createExecution(orm, input, now);
    created.push(input.executionId);
  }
  return created;
}

export function deleteSchedule(orm: Orm, scheduleId: string): boolean {
  return orm.delete(schedules).where(eq(schedules.scheduleId, scheduleId)).returning().all().length > 0;
}

export function getSchedule(orm: Orm, scheduleId: string): StoredSchedule | undefined {
  const row = orm.select().from(schedules).where(eq(schedules.scheduleId, scheduleId)).get();
  return row && toStored(row);
}

export function listSchedules(orm: Orm, filter: ScheduleListFilter): StoredSchedule[] {
  return orm
    .select()
    .from(schedules)
    .orderBy(asc(schedules.scheduleId))
    .limit(filter.limit)
    .offset(filter.offset)
    .all()
    .map(toStored);
}

export function dueSchedules(orm: Orm, request: DueSchedulesRequest): StoredSchedule[] {
  if (request.taskNames.length === 0) return [];
  return orm
    .select()
    .from(schedules)
    .where(
      and(
        isNotNull(schedules.dueAt),
        lte(schedules.dueAt, request.now),
        inArray(schedules.taskName, [...request.taskNames]),
      ),
    )
    .orderBy(asc(schedules.dueAt), asc(schedules.scheduleId))
    .limit(request.limit)
    .all()
    .map(toStored);
}
