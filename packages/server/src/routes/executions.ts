import { randomUUID } from "node:crypto";
import { createRoute } from "@hono/zod-openapi";
import { requireJsonBody } from "../json-body.js";
import {
  CancelResultSchema,
  ExecutionListSchema,
  ExecutionParamsSchema,
  ExecutionSchema,
  ListQuerySchema,
  RunListSchema,
  RunQuerySchema,
  StartBodySchema,
} from "../schemas.js";
import { toStartOptions, toWireExecution, toWireRun } from "../wire.js";
import { errorResponses, type RouteDeps, SECURITY, type ZartOpenAPIHono } from "./shared.js";

const json = <S>(schema: S) => ({ "application/json": { schema } });

const startExecution = createRoute({
  method: "post",
  path: "/api/v1/executions",
  operationId: "startExecution",
  summary: "Start an execution",
  description:
    "`execution_id` is the idempotency key: starting an id whose execution is not finished is a 409; " +
    "starting a finished one starts a new run of it. With a task registry, unknown task names and " +
    "input that fails the task's schema are a 400. With `debounce`, starts of the task with the same " +
    "key collapse into one execution that runs `period` after the last of them with its data; the " +
    "response (and `Location`) names that execution.",
  security: SECURITY,
  middleware: [requireJsonBody] as const,
  request: { body: { required: true, content: json(StartBodySchema) } },
  responses: {
    201: { description: "Started; the execution's status", content: json(ExecutionSchema) },
    ...errorResponses(400, 401, 409, 413, 415),
  },
});

const listExecutions = createRoute({
  method: "get",
  path: "/api/v1/executions",
  operationId: "listExecutions",
  summary: "List executions, newest first",
  description:
    "Newest first by creation time, then id. Page with `cursor` = the previous page's `next_cursor`: " +
    "executions started while you page never make a page repeat or skip one. A malformed cursor, or " +
    "`cursor` with `offset`, is a 400.",
  security: SECURITY,
  request: { query: ListQuerySchema },
  responses: {
    200: { description: "A page of executions", content: json(ExecutionListSchema) },
    ...errorResponses(400, 401),
  },
});

const getExecution = createRoute({
  method: "get",
  path: "/api/v1/executions/{execution_id}",
  operationId: "getExecution",
  summary: "An execution's status with its steps and mailbox",
  description: "`run` reads an earlier run of the id; an unknown run is a 404 `RUN_NOT_FOUND`.",
  security: SECURITY,
  request: { params: ExecutionParamsSchema, query: RunQuerySchema },
  responses: {
    200: { description: "The status", content: json(ExecutionSchema) },
    ...errorResponses(400, 401, 404),
  },
});

const listRuns = createRoute({
  method: "get",
  path: "/api/v1/executions/{execution_id}/runs",
  operationId: "listRuns",
  summary: "The runs of an execution id, newest first",
  description:
    "Starting a finished id begins a new run; earlier runs stay readable with `?run=N` until purged.",
  security: SECURITY,
  request: { params: ExecutionParamsSchema },
  responses: {
    200: { description: "The runs", content: json(RunListSchema) },
    ...errorResponses(400, 401, 404),
  },
});

const cancelExecution = createRoute({
  method: "post",
  path: "/api/v1/executions/{execution_id}/cancel",
  operationId: "cancelExecution",
  summary: "Cancel an execution (and its parallel steps)",
  description: "Any request body is ignored. `cancelled` is false when the execution had already finished.",
  security: SECURITY,
  request: { params: ExecutionParamsSchema },
  responses: {
    200: { description: "Whether this call cancelled it", content: json(CancelResultSchema) },
    ...errorResponses(400, 401, 404),
  },
});

/** Start, list, read and cancel executions. */
export function registerExecutionRoutes(app: ZartOpenAPIHono, { durable }: RouteDeps): void {
  app.openapi(startExecution, async (c) => {
    const body = c.req.valid("json");
    const started = await durable.start(
      body.execution_id ?? randomUUID(),
      body.task_name,
      body.data ?? null,
      toStartOptions(body),
    );
    // With `debounce`, the execution that will run (maybe one an earlier start created).
    const executionId = started.executionId;
    const status = await durable.status(executionId);
    c.header("Location", `/api/v1/executions/${encodeURIComponent(executionId)}`);
    return c.json(toWireExecution(status), 201);
  });

  app.openapi(listExecutions, async (c) => {
    const query = c.req.valid("query");
    const page = await durable.listExecutionsPage({
      limit: query.limit,
      offset: query.offset,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.task_name ? { taskName: query.task_name } : {}),
      ...(query.parent_id ? { parentId: query.parent_id } : {}),
      ...(query.version ? { version: query.version } : {}),
      ...(query.created_after ? { createdAfter: new Date(query.created_after) } : {}),
      ...(query.created_before ? { createdBefore: new Date(query.created_before) } : {}),
      ...(query.queue ? { queue: query.queue } : {}),
    });
    return c.json(
      {
        executions: page.executions.map(toWireExecution),
        limit: query.limit,
        offset: query.offset,
        ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}),
      },
      200,
    );
  });

  app.openapi(getExecution, async (c) => {
    const { run } = c.req.valid("query");
    const status = await durable.status(c.req.valid("param").execution_id, run === undefined ? {} : { run });
    return c.json(toWireExecution(status), 200);
  });

  app.openapi(listRuns, async (c) => {
    const runs = await durable.listRuns(c.req.valid("param").execution_id);
    return c.json({ runs: runs.map(toWireRun) }, 200);
  });

  app.openapi(cancelExecution, async (c) => {
    const { execution_id } = c.req.valid("param");
    const cancelled = await durable.cancel(execution_id);
    return c.json({ cancelled }, 200);
  });
}
