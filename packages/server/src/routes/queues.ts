import { createRoute } from "@hono/zod-openapi";
import { QueueListSchema } from "../queue-schemas.js";
import { toWireQueue } from "../queue-wire.js";
import { errorResponses, type RouteDeps, SECURITY, type ZartOpenAPIHono } from "./shared.js";

const listQueues = createRoute({
  method: "get",
  path: "/api/v1/queues",
  operationId: "listQueues",
  summary: "Running, due and delayed executions per queue, task and key",
  description:
    "One row per concurrency group (a queue's or a task's own, per key) and per task without a " +
    "limit. `limit` is shown when the server's task registry knows the task or queue (the store " +
    "keeps keys, not limits). Waiting executions that are not due (sleeping, waiting for events) " +
    "are not counted.",
  security: SECURITY,
  responses: {
    200: { description: "The queues", content: { "application/json": { schema: QueueListSchema } } },
    ...errorResponses(401),
  },
});

export function registerQueueRoutes(app: ZartOpenAPIHono, { durable }: RouteDeps): void {
  app.openapi(listQueues, async (c) => {
    const queues = await durable.queueStats();
    return c.json({ queues: queues.map(toWireQueue) }, 200);
  });
}
