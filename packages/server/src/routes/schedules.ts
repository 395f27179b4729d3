import { createRoute } from "@hono/zod-openapi";
import { requireJsonBody } from "../json-body.js";
import {
  CreateScheduleBodySchema,
  DeleteScheduleResultSchema,
  ScheduleListQuerySchema,
  ScheduleListSchema,
  ScheduleParamsSchema,
  ScheduleSchema,
  TriggerResultSchema,
  UpdateScheduleBodySchema,
} from "../schedule-schemas.js";
import { fromWireSchedule, toWireSchedule } from "../schedule-wire.js";
import { errorResponses, type RouteDeps, SECURITY, type ZartOpenAPIHono } from "./shared.js";

const PATH = "/api/v1/schedules/{schedule_id}";
const json = <S>(schema: S) => ({ "application/json": { schema } });
const schedule = { description: "The schedule", content: json(ScheduleSchema) };
const body = <S>(schema: S) => ({ body: { required: true, content: json(schema) } });

const createSchedule = createRoute({
  method: "post",
  path: "/api/v1/schedules",
  operationId: "createSchedule",
  summary: "Create a cron schedule",
  description:
    "Fired by the workers that run its task. A `schedule_id` in use is a 409 `SCHEDULE_ALREADY_EXISTS` " +
    "(no upsert; PATCH it instead). A bad cron, unknown zone, end before start, unknown task or data " +
    "failing the task's schema is a 400; nothing is stored.",
  security: SECURITY,
  middleware: [requireJsonBody] as const,
  request: body(CreateScheduleBodySchema),
  responses: { 201: schedule, ...errorResponses(400, 401, 409, 413, 415) },
});

const listSchedules = createRoute({
  method: "get",
  path: "/api/v1/schedules",
  operationId: "listSchedules",
  summary: "List schedules, by id",
  security: SECURITY,
  request: { query: ScheduleListQuerySchema },
  responses: {
    200: { description: "The schedules", content: json(ScheduleListSchema) },
    ...errorResponses(400, 401),
  },
});

const getSchedule = createRoute({
  method: "get",
  path: PATH,
  operationId: "getSchedule",
  summary: "A schedule with its next fire time and last execution",
  security: SECURITY,
  request: { params: ScheduleParamsSchema },
  responses: { 200: schedule, ...errorResponses(400, 401, 404) },
});

const updateSchedule = createRoute({
  method: "patch",
  path: PATH,
  operationId: "updateSchedule",
  summary: "Change a schedule's fields",
  description: "A new cron, timezone, start_at or end_at recomputes the next fire time from now.",
  security: SECURITY,
  middleware: [requireJsonBody] as const,
  request: { params: ScheduleParamsSchema, ...body(UpdateScheduleBodySchema) },
  responses: { 200: schedule, ...errorResponses(400, 401, 404, 413, 415) },
});

const deleteSchedule = createRoute({
  method: "delete",
  path: PATH,
  operationId: "deleteSchedule",
  summary: "Delete a schedule (its executions stay)",
  security: SECURITY,
  request: { params: ScheduleParamsSchema },
  responses: {
    200: { description: "Deleted", content: json(DeleteScheduleResultSchema) },
    ...errorResponses(400, 401, 404),
  },
});

const action = (name: "pause" | "resume", summary: string) =>
  createRoute({
    method: "post",
    path: `${PATH}/${name}`,
    operationId: `${name}Schedule`,
    summary,
    security: SECURITY,
    request: { params: ScheduleParamsSchema },
    responses: { 200: schedule, ...errorResponses(400, 401, 404) },
  });

const pauseSchedule = action("pause", "Stop firing (fires while paused are never started)");
const resumeSchedule = action("resume", "Fire again from the next fire time after now");

const triggerSchedule = createRoute({
  method: "post",
  path: `${PATH}/trigger`,
  operationId: "triggerSchedule",
  summary: "Start one execution now, whatever the overlap policy",
  security: SECURITY,
  request: { params: ScheduleParamsSchema },
  responses: {
    200: { description: "The execution started", content: json(TriggerResultSchema) },
    ...errorResponses(400, 401, 404),
  },
});

/** `/api/v1/schedules`: create, list, get, patch, delete, pause, resume, trigger. */
export function registerScheduleRoutes(app: ZartOpenAPIHono, { durable }: RouteDeps): void {
  const { schedules } = durable;
  app.openapi(createSchedule, async (c) => {
    const { schedule_id, ...rest } = c.req.valid("json");
    const options = fromWireSchedule(rest);
    const created = await schedules.create({
      ...options,
      scheduleId: schedule_id,
      task: rest.task_name,
      cron: rest.cron,
      data: options.data ?? null,
    });
    return c.json(toWireSchedule(created), 201);
  });
  app.openapi(listSchedules, async (c) => {
    const list = await schedules.list(c.req.valid("query"));
    return c.json({ schedules: list.map(toWireSchedule) }, 200);
  });
  app.openapi(getSchedule, async (c) =>
    c.json(toWireSchedule(await schedules.get(c.req.valid("param").schedule_id)), 200),
  );
  app.openapi(updateSchedule, async (c) => {
    const updated = await schedules.update(
      c.req.valid("param").schedule_id,
      fromWireSchedule(c.req.valid("json")),
    );
    return c.json(toWireSchedule(updated), 200);
  });
  app.openapi(deleteSchedule, async (c) => {
    await schedules.delete(c.req.valid("param").schedule_id);
    return c.json({ deleted: true as const }, 200);
  });
  app.openapi(pauseSchedule, async (c) =>
    c.json(toWireSchedule(await schedules.pause(c.req.valid("param").schedule_id)), 200),
  );
  app.openapi(resumeSchedule, async (c) =>
    c.json(toWireSchedule(await schedules.resume(c.req.valid("param").schedule_id)), 200),
  );
  app.openapi(triggerSchedule, async (c) => {
    const { executionId } = await schedules.trigger(c.req.valid("param").schedule_id);
    return c.json({ execution_id: executionId }, 200);
  });
}
