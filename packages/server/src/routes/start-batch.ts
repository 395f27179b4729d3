import { randomUUID } from "node:crypto";
import { createRoute } from "@hono/zod-openapi";
import { ZartError } from "@zart/core";
import { envelope } from "../api-error.js";
import { requireJsonBody } from "../json-body.js";
import { StartBatchBodySchema, StartBatchResultSchema } from "../schemas.js";
import { toStartOptions } from "../wire.js";
import { errorResponses, type RouteDeps, SECURITY, type ZartOpenAPIHono } from "./shared.js";

const json = <S>(schema: S) => ({ "application/json": { schema } });

const startBatch = createRoute({
  method: "post",
  path: "/api/v1/executions:batch",
  operationId: "startExecutionBatch",
  summary: "Start many executions in one store write",
  description:
    "A malformed body is a 400 whose `details.issues` name each bad item (`items.3.task_name`), and " +
    "nothing is started. Otherwise every item gets an outcome, in order: an item refused by the task " +
    "registry or the task's input schema is `invalid` with its error and writes nothing, without " +
    "stopping the others; `execution_id` keeps the idempotency of a single start, per item.",
  security: SECURITY,
  middleware: [requireJsonBody] as const,
  request: { body: { required: true, content: json(StartBatchBodySchema) } },
  responses: {
    200: { description: "One outcome per item, in order", content: json(StartBatchResultSchema) },
    ...errorResponses(400, 401, 413, 415),
  },
});

/** `POST /api/v1/executions:batch`: `DurableScheduler.startMany` over HTTP. */
export function registerStartBatchRoute(app: ZartOpenAPIHono, { durable }: RouteDeps): void {
  app.openapi(startBatch, async (c) => {
    const { items } = c.req.valid("json");
    const results = await durable.startMany(
      items.map((item) => ({
        executionId: item.execution_id ?? randomUUID(),
        taskName: item.task_name,
        data: item.data ?? null,
        options: toStartOptions(item),
      })),
    );
    return c.json(
      {
        results: results.map(({ executionId, outcome, error }) => ({
          execution_id: executionId,
          outcome,
          ...(error === undefined ? {} : { error: wireError(error) }),
        })),
      },
      200,
    );
  });
}

function wireError(error: Error) {
  return error instanceof ZartError
    ? envelope(error.code, error.message, error.details).error
    : envelope("VALIDATION", error.message).error;
}
