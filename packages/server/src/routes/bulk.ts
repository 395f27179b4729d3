import { createRoute } from "@hono/zod-openapi";
import { BulkBodySchema, BulkResultSchema } from "../bulk-schemas.js";
import { requireJsonBody } from "../json-body.js";
import { errorResponses, type RouteDeps, SECURITY, type ZartOpenAPIHono } from "./shared.js";

const json = <S>(schema: S) => ({ "application/json": { schema } });

const bulkAction = createRoute({
  method: "post",
  path: "/api/v1/executions:bulk",
  operationId: "bulkAction",
  summary: "Cancel, retry, pause or resume every execution a filter selects",
  description:
    "Walks the filter (status, task, created time range; at least one) newest first and applies the " +
    "action to each execution through its own atomic action. Executions the action does not apply " +
    "to, or whose state changed meanwhile, are skipped and counted per reason; executions created " +
    "after the call began are left alone. `dry_run` counts and changes nothing.",
  security: SECURITY,
  middleware: [requireJsonBody] as const,
  request: { body: { required: true, content: json(BulkBodySchema) } },
  responses: {
    200: { description: "What matched, changed and was skipped", content: json(BulkResultSchema) },
    ...errorResponses(400, 401, 413, 415),
  },
});

/** `POST /api/v1/executions:bulk`: `DurableScheduler.bulk` over HTTP. */
export function registerBulkRoute(app: ZartOpenAPIHono, { durable }: RouteDeps): void {
  app.openapi(bulkAction, async (c) => {
    const { action, filter, dry_run } = c.req.valid("json");
    const result = await durable.bulk(
      action,
      {
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.task_name ? { taskName: filter.task_name } : {}),
        ...(filter.created_after ? { createdAfter: new Date(filter.created_after) } : {}),
        ...(filter.created_before ? { createdBefore: new Date(filter.created_before) } : {}),
      },
      { dryRun: dry_run },
    );
    return c.json(
      {
        matched: result.matched,
        changed: result.changed,
        skipped: result.skipped,
        skipped_reasons: result.skippedReasons,
      },
      200,
    );
  });
}
