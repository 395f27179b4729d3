import { createRoute, z } from "@hono/zod-openapi";
import { requireJsonBody } from "../json-body.js";
import { EventDeliverySchema, EventHeadersSchema, EventParamsSchema } from "../schemas.js";
import { errorResponses, type RouteDeps, SECURITY, type ZartOpenAPIHono } from "./shared.js";

const deliverEvent = createRoute({
  method: "post",
  path: "/api/v1/events/{execution_id}/{event_name}",
  operationId: "deliverEvent",
  summary: "Deliver an event to an execution's mailbox",
  description:
    "The body (any JSON value) is the event's payload. It wakes the execution if it waits for that " +
    "event name, and is kept for a later `waitForEvent` otherwise. With an `Idempotency-Key`, a " +
    "re-sent delivery is a no-op answered `duplicate`.",
  security: SECURITY,
  middleware: [requireJsonBody] as const,
  request: {
    params: EventParamsSchema,
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
    const { status } = await durable.offerEvent(
      execution_id,
      event_name,
      payload,
      idempotencyKey === undefined ? {} : { idempotencyKey },
    );
    return c.json({ status, execution_id, event_name }, 200);
  });
}
