import { randomUUID } from "node:crypto";
import {
  type DueSchedulesRequest,
  ScheduleAlreadyExistsError,
  type ScheduleListFilter,
  type ScheduleWrite,
  type StoredSchedule,
} from "@zart/core/store";
import { millis, optional } from "../db/args.js";
import type { RedisContext } from "../db/context.js";

/** Inserts the schedule; its id in use → `ScheduleAlreadyExistsError`. */
export async function createSchedule(ctx: RedisContext, schedule: StoredSchedule, _now: Date): Promise<void> {
  const created = await ctx.executor.runGlobal("createSchedule", [
    schedule.scheduleId,
    schedule.taskName,
    schedule.dueAt ? millis(schedule.dueAt) : "",
    String(schedule.version),
    schedule.body,
  ]);
  if (created !== 1) throw new ScheduleAlreadyExistsError(schedule.scheduleId);
}

/** Compare-and-set on `version` with the fires' executions, in one script. */
export async function writeSchedule(ctx: RedisContext, write: ScheduleWrite, now: Date): Promise<boolean> {
  const { schedule } = write;
  const reply = (await ctx.executor.runGlobal("writeSchedule", [
    schedule.scheduleId,
    schedule.taskName,
    schedule.dueAt ? millis(schedule.dueAt) : "",
    String(schedule.version),
    schedule.body,
    String(write.expectedVersion),
    millis(now),
    ctx.origin,
    randomUUID(),
    ...write.start.flatMap((s) => [
      s.executionId,
      s.taskName,
      s.payload,
      millis(s.runAt),
      optional(s.version),
      optional(s.priority === undefined ? undefined : String(s.priority)),
      optional(s.concurrencyKey),
      optional(s.traceContext),
      optional(s.rateKey),
    ]),
  ])) as [number, ...string[]];
  if (reply[0] !== 1) return false;
  for (const id of reply.slice(1)) ctx.emit("created", String(id));
  return true;
}

export async function deleteSchedule(ctx: RedisContext, scheduleId: string): Promise<boolean> {
  return (await ctx.executor.runGlobal("deleteSchedule", [scheduleId])) === 1;
}

export async function getSchedule(
  ctx: RedisContext,
  scheduleId: string,
): Promise<StoredSchedule | undefined> {
  return (await readSchedules(ctx, ["get", scheduleId]))[0];
}

export function listSchedules(ctx: RedisContext, filter: ScheduleListFilter): Promise<StoredSchedule[]> {
  return readSchedules(ctx, ["list", String(filter.offset), String(filter.limit)]);
}

export function dueSchedules(ctx: RedisContext, request: DueSchedulesRequest): Promise<StoredSchedule[]> {
  if (request.taskNames.length === 0) return Promise.resolve([]);
  return readSchedules(ctx, ["due", millis(request.now), String(request.limit), ...request.taskNames]);
}

async function readSchedules(ctx: RedisContext, args: string[]): Promise<StoredSchedule[]> {
  const rows = (await ctx.executor.runGlobal("readSchedules", args)) as string[][];
  return rows.map(([scheduleId, taskName, dueAt, version, body]) => ({
    scheduleId: String(scheduleId),
    taskName: String(taskName),
    ...(dueAt ? { dueAt: new Date(Number(dueAt)) } : {}),
    version: Number(version),
    body: String(body),
  }));
}
