import { createRoute } from "@hono/zod-openapi";
import type { Duration } from "@zart/core";
import { requireJsonBody } from "../json-body.js";
import { PurgeBodySchema, PurgeResultSchema } from "../schemas.js";
import { errorResponses, type RouteDeps, SECURITY, type ZartOpenAPIHono } from "./shared.js";

const purge = createRoute({
  method: "post",
  path: "/api/v1/purge",
  operationId: "purgeExecutions",
  summary: "Delete finished executions older than a duration",
  description:
    "Retention over HTTP, as `zart purge --older-than`: deletes terminal executions (with their " +
    "steps and events) that finished at least `older_than` ago. Running and waiting ones are never touched.",
  security: SECURITY,
  middleware: [requireJsonBody] as const,
  request: { body: { required: true, content: { "application/json": { schema: PurgeBodySchema } } } },
  responses: {
    200: {
      description: "How many were deleted",
      content: { "application/json": { schema: PurgeResultSchema } },
    },
    ...errorResponses(400, 401, 413, 415),
  },
});

/** `POST /api/v1/purge`. */
export function registerPurgeRoute(app: ZartOpenAPIHono, { durable }: RouteDeps): void {
  app.openapi(purge, async (c) => {
    const { older_than, statuses } = c.req.valid("json");
    // A malformed duration string is the core's ValidationError (400), like the CLI's.
    const purged = await durable.purge({
      olderThan: older_than as Duration,
      ...(statuses ? { statuses } : {}),
    });
    return c.json({ purged }, 200);
  });
}
