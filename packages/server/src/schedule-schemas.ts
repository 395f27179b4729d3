import { z } from "@hono/zod-openapi";
import { CATCHUP_POLICIES, EXECUTION_STATUSES, OVERLAP_POLICIES } from "@zart/core";
import { IdSchema } from "./schemas.js";

/** The zod schemas of the schedule routes (`/api/v1/schedules`), in the API's snake_case. */

const DateTime = z.iso.datetime({ offset: true });

const scheduleFields = {
  task_name: IdSchema.openapi({ example: "nightly-report" }),
  cron: z.string().min(1).openapi({
    description: "Cron expression: 5 fields, or 6 with seconds first (croner syntax).",
    example: "0 2 * * *",
  }),
  timezone: z
    .string()
    .min(1)
    .optional()
    .openapi({ description: "IANA time zone (default UTC).", example: "Europe/Paris" }),
  data: z.unknown().optional().openapi({ description: "Every fire's input (default null)." }),
  overlap: z.enum(OVERLAP_POLICIES).optional().openapi({ description: "Default skip." }),
  catchup: z.enum(CATCHUP_POLICIES).optional().openapi({ description: "Default none." }),
  catchup_window: z
    .union([z.string().min(1), z.number().int().nonnegative()])
    .optional()
    .openapi({ description: 'How far back latest/all reach: "1d" (default), "6h" or milliseconds.' }),
  start_at: DateTime.optional().openapi({ description: "No fire before it." }),
  end_at: DateTime.optional().openapi({ description: "No fire at or after it." }),
};

export const CreateScheduleBodySchema = z
  .strictObject({ schedule_id: IdSchema.max(200).openapi({ example: "nightly-report" }), ...scheduleFields })
  .openapi("CreateSchedule");

export const UpdateScheduleBodySchema = z
  .strictObject({
    ...scheduleFields,
    task_name: scheduleFields.task_name.optional(),
    cron: scheduleFields.cron.optional(),
  })
  .openapi("UpdateSchedule");

export const ScheduleSchema = z
  .object({
    schedule_id: z.string(),
    task_name: z.string(),
    cron: z.string(),
    timezone: z.string(),
    data: z.unknown(),
    overlap: z.enum(OVERLAP_POLICIES),
    catchup: z.enum(CATCHUP_POLICIES),
    catchup_window_ms: z.number().int(),
    start_at: z.string().optional(),
    end_at: z.string().optional(),
    paused: z.boolean(),
    next_fire_at: z.string().optional().openapi({
      description: "In the past while no worker running the task has fired it (the fire is pending).",
    }),
    buffered_fire_at: z.string().optional(),
    last_fire_at: z.string().optional(),
    recent_execution_ids: z.array(z.string()).openapi({ description: "Newest first, up to 10." }),
    last_execution: z
      .object({ execution_id: z.string(), status: z.enum(EXECUTION_STATUSES).optional() })
      .optional(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Schedule");

export const ScheduleListSchema = z.object({ schedules: z.array(ScheduleSchema) }).openapi("ScheduleList");

export const ScheduleParamsSchema = z.object({
  schedule_id: IdSchema.openapi({ param: { name: "schedule_id", in: "path" } }),
});

export const ScheduleListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
});

export const TriggerResultSchema = z.object({ execution_id: z.string() }).openapi("ScheduleTrigger");

export const DeleteScheduleResultSchema = z.object({ deleted: z.literal(true) }).openapi("ScheduleDeleted");

export type WireSchedule = z.infer<typeof ScheduleSchema>;
