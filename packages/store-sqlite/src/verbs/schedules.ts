import type {
  DueSchedulesRequest,
  ScheduleListFilter,
  ScheduleWrite,
  StoredSchedule,
} from "@zart/core/store";
import { ScheduleAlreadyExistsError } from "@zart/core/store";
import { and, asc, eq, inArray, isNotNull, lte } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { executions, type ScheduleRow, schedules } from "../db/schema.js";
import { insertExecution } from "./create-execution.js";

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

/** Inserts; an id in use → `ScheduleAlreadyExistsError` (in one `BEGIN IMMEDIATE` transaction). */
export async function createSchedule(
  ctx: SqliteContext,
  schedule: StoredSchedule,
  _now: Date,
): Promise<void> {
  const { orm } = ctx;
  return ctx.write(() => {
    const inserted = orm
      .insert(schedules)
      .values({ scheduleId: schedule.scheduleId, ...columns(schedule) })
      .onConflictDoNothing()
      .returning({ id: schedules.scheduleId })
      .all();
    if (inserted.length === 0) throw new ScheduleAlreadyExistsError(schedule.scheduleId);
  });
}

/**
 * Compare-and-set on `version`, then the fires' executions whose id is unknown, all in one
 * `BEGIN IMMEDIATE` transaction (one writer at a time); false when the version did not match.
 * Wakes the executions it created.
 */
export async function writeSchedule(ctx: SqliteContext, write: ScheduleWrite, now: Date): Promise<boolean> {
  const { orm } = ctx;
  const created = await ctx.write(() => {
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
      insertExecution(orm, input, now);
      created.push(input.executionId);
    }
    return created;
  });
  for (const id of created ?? []) ctx.emit("created", id);
  return created !== undefined;
}

export async function deleteSchedule(ctx: SqliteContext, scheduleId: string): Promise<boolean> {
  const { orm } = ctx;
  return ctx.write(() => {
    return orm.delete(schedules).where(eq(schedules.scheduleId, scheduleId)).returning().all().length > 0;
  });
}

export async function getSchedule(
  ctx: SqliteContext,
  scheduleId: string,
): Promise<StoredSchedule | undefined> {
  const { orm } = ctx;
  return ctx.read(() => {
    const row = orm.select().from(schedules).where(eq(schedules.scheduleId, scheduleId)).get();
    return row && toStored(row);
  });
}

export async function listSchedules(
  ctx: SqliteContext,
  filter: ScheduleListFilter,
): Promise<StoredSchedule[]> {
  const { orm } = ctx;
  return ctx.read(() => {
    return orm
      .select()
      .from(schedules)
      .orderBy(asc(schedules.scheduleId))
      .limit(filter.limit)
      .offset(filter.offset)
      .all()
      .map(toStored);
  });
}

export async function dueSchedules(
  ctx: SqliteContext,
  request: DueSchedulesRequest,
): Promise<StoredSchedule[]> {
  const { orm } = ctx;
  return ctx.read(() => {
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
  });
}
