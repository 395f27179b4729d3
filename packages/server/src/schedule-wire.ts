import type { z } from "@hono/zod-openapi";
import type { Duration, ScheduleInfo, UpdateScheduleOptions } from "@zart/core";
import type { UpdateScheduleBodySchema, WireSchedule } from "./schedule-schemas.js";

/** A schedule in the API's snake_case (dates as ISO strings, absent fields absent). */
export function toWireSchedule(info: ScheduleInfo): WireSchedule {
  const iso = (date: Date | undefined) => date?.toISOString();
  const wire: WireSchedule = {
    schedule_id: info.scheduleId,
    task_name: info.taskName,
    cron: info.cron,
    timezone: info.timezone,
    data: info.data,
    overlap: info.overlap,
    catchup: info.catchup,
    catchup_window_ms: info.catchupWindowMs,
    paused: info.paused,
    recent_execution_ids: info.recentExecutionIds,
    created_at: info.createdAt.toISOString(),
    updated_at: info.updatedAt.toISOString(),
  };
  const dates = {
    start_at: iso(info.startAt),
    end_at: iso(info.endAt),
    next_fire_at: iso(info.nextFireAt),
    buffered_fire_at: iso(info.bufferedFireAt),
    last_fire_at: iso(info.lastFireAt),
  };
  for (const [key, value] of Object.entries(dates)) if (value) Object.assign(wire, { [key]: value });
  if (info.lastExecution) {
    const { executionId, status } = info.lastExecution;
    wire.last_execution = { execution_id: executionId, ...(status ? { status } : {}) };
  }
  return wire;
}

/** The body of a create or a patch, as core options (camelCase, dates, `task`). */
export function fromWireSchedule(body: z.infer<typeof UpdateScheduleBodySchema>): UpdateScheduleOptions {
  const options: UpdateScheduleOptions = {};
  if (body.task_name !== undefined) options.task = body.task_name;
  if (body.cron !== undefined) options.cron = body.cron;
  if (body.timezone !== undefined) options.timezone = body.timezone;
  if ("data" in body) options.data = body.data ?? null;
  if (body.overlap !== undefined) options.overlap = body.overlap;
  if (body.catchup !== undefined) options.catchup = body.catchup;
  if (body.catchup_window !== undefined) options.catchupWindow = body.catchup_window as Duration;
  if (body.start_at !== undefined) options.startAt = new Date(body.start_at);
  if (body.end_at !== undefined) options.endAt = new Date(body.end_at);
  return options;
}
