import { createRoute, z } from "@hono/zod-openapi";
import { ValidationError } from "@zart/core";
import { requireJsonBody } from "../json-body.js";
import { EventDeliverySchema, EventHeadersSchema, EventParamsSchema, EventQuerySchema } from "../schemas.js";
import { errorResponses, type RouteDeps, SECURITY, type ZartOpenAPIHono } from "./shared.js";

const deliverEvent = createRoute({
  method: "post",
  path: "/api/v1/events/{execution_id}/{event_name}",
  operationId: "deliverEvent",
  summary: "Deliver an event to an execution's mailbox",
  description:
    "The body (any JSON value) is the event's payload. It wakes the execution if it waits for that " +
    "event name, and is kept for a later `waitForEvent` otherwise. With an `Idempotency-Key`, a " +
    "re-sent delivery is a no-op answered `duplicate`. With `start_if_missing`, an unknown (or " +
    "terminal) execution is started from that task and `start_data` and receives the event in the same " +
    "transaction (signal-with-start), so a delivery that arrives first never gets 404.",
  security: SECURITY,
  middleware: [requireJsonBody] as const,
  request: {
    params: EventParamsSchema,
    query: EventQuerySchema,
    headers: EventHeadersSchema,
    body: {
      required: true,
      content: { "application/json": { schema: z.unknown().openapi({ example: { approved: true } }) } },
    },
  },
  responses: {
    200: { description: "Delivered", content: { "application/json": { schema: EventDeliverySchema } } },
    ...errorResponses(400, 401, 404, 409, 413, 415),
  },
});

/** `POST /api/v1/events/{execution_id}/{event_name}`. */
export function registerEventRoutes(app: ZartOpenAPIHono, { durable }: RouteDeps): void {
  app.openapi(deliverEvent, async (c) => {
    const { execution_id, event_name } = c.req.valid("param");
    const idempotencyKey = c.req.valid("header")["idempotency-key"];
    const payload: unknown = c.req.valid("json");
    const { start_if_missing: task, start_data: data } = c.req.valid("query");
    if (data !== undefined && task === undefined) {
      throw new ValidationError("start_data is only accepted with start_if_missing.");
    }
    const { status } = await durable.offerEvent(execution_id, event_name, payload, {
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      ...(task === undefined ? {} : { startIfMissing: { task, data: parseStartData(data) } }),
    });
    return c.json({ status, execution_id, event_name }, 200);
  });
}

/** The `start_data` query parameter: JSON text; absent = null. */
function parseStartData(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError("start_data is not valid JSON.");
  }
}
