import { createRoute } from "@hono/zod-openapi";
import { ExecutionParamsSchema, ExecutionSchema } from "../schemas.js";
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
}
