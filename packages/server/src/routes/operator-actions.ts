import { createRoute } from "@hono/zod-openapi";
import { requireJsonBody } from "../json-body.js";
import { ExecutionParamsSchema, ExecutionSchema, RerunBodySchema } from "../schemas.js";
import { toWireExecution } from "../wire.js";
import { errorResponses, type RouteDeps, SECURITY, type ZartOpenAPIHono } from "./shared.js";

const retryExecution = createRoute({
  method: "post",
  path: "/api/v1/executions/{execution_id}/retry",
  operationId: "retryExecution",
  summary: "Run a failed or cancelled execution again from its first unfinished step",
  description:
    "Completed steps are kept and replayed, not run again. Any request body is ignored. " +
    "An execution that is not failed or cancelled is a 409 `EXECUTION_NOT_RETRYABLE`, and nothing changes.",
  security: SECURITY,
  request: { params: ExecutionParamsSchema },
  responses: {
    200: { description: "Retried; the execution's status (pending)", content: json(ExecutionSchema) },
    ...errorResponses(400, 401, 404, 409),
  },
});

const rerunExecution = createRoute({
  method: "post",
  path: "/api/v1/executions/{execution_id}/rerun",
  operationId: "rerunExecution",
  summary: "Start a new execution that reruns this one from a step",
  description:
    "The new execution's history is the original's settled steps before `from_step`: they are " +
    "replayed, `from_step` and the steps after it run again, with `data` as the new input when given. " +
    "The original is untouched; the new one names it in `rerun_of`. An unknown `from_step` is a 404 " +
    "`STEP_NOT_FOUND`, a taken `new_id` a 409 `EXECUTION_ALREADY_EXISTS`; either way nothing is written.",
  security: SECURITY,
  middleware: [requireJsonBody] as const,
  request: { params: ExecutionParamsSchema, body: { required: true, content: json(RerunBodySchema) } },
  responses: {
    201: { description: "Created; the new execution's status", content: json(ExecutionSchema) },
    ...errorResponses(400, 401, 404, 409, 413, 415),
  },
});

const pauseExecution = createRoute({
  method: "post",
  path: "/api/v1/executions/{execution_id}/pause",
  operationId: "pauseExecution",
  summary: "Pause an execution: it is not claimed until resumed",
  description:
    "A pending or waiting execution is held at once; a running one stops at its next checkpoint (that " +
    "write is refused and the work since the last checkpoint runs again after resume). Pausing a paused " +
    "one changes nothing. A finished one is a 409 `EXECUTION_NOT_PAUSABLE`. Any request body is ignored.",
  security: SECURITY,
  request: { params: ExecutionParamsSchema },
  responses: {
    200: { description: "Paused; the execution's status", content: json(ExecutionSchema) },
    ...errorResponses(400, 401, 404, 409),
  },
});

const resumeExecution = createRoute({
  method: "post",
  path: "/api/v1/executions/{execution_id}/resume",
  operationId: "resumeExecution",
  summary: "Resume a paused execution: it is due now",
  description:
    "An execution that is not paused is a 409 `EXECUTION_NOT_PAUSED`, and nothing changes. Any request body is ignored.",
  security: SECURITY,
  request: { params: ExecutionParamsSchema },
  responses: {
    200: { description: "Resumed; the execution's status", content: json(ExecutionSchema) },
    ...errorResponses(400, 401, 404, 409),
  },
});

function json<S>(schema: S) {
  return { "application/json": { schema } };
}

/** The operator's actions on one execution beyond cancel. */
export function registerOperatorActionRoutes(app: ZartOpenAPIHono, { durable }: RouteDeps): void {
  app.openapi(retryExecution, async (c) => {
    const { execution_id } = c.req.valid("param");
    await durable.retry(execution_id);
    return c.json(toWireExecution(await durable.status(execution_id)), 200);
  });
  app.openapi(pauseExecution, async (c) => {
    const { execution_id } = c.req.valid("param");
    await durable.pause(execution_id);
    return c.json(toWireExecution(await durable.status(execution_id)), 200);
  });
  app.openapi(resumeExecution, async (c) => {
    const { execution_id } = c.req.valid("param");
    await durable.resume(execution_id);
    return c.json(toWireExecution(await durable.status(execution_id)), 200);
  });
  app.openapi(rerunExecution, async (c) => {
    const { execution_id } = c.req.valid("param");
    const body = c.req.valid("json");
    const created = await durable.rerun(execution_id, {
      fromStep: body.from_step,
      ...(body.new_id !== undefined ? { newId: body.new_id } : {}),
      ...(body.data !== undefined ? { data: body.data } : {}),
    });
    return c.json(toWireExecution(await durable.status(created.executionId)), 201);
  });
}
