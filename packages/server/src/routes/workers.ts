import { createRoute } from "@hono/zod-openapi";
import { WorkerListSchema } from "../worker-schemas.js";
import { toWireWorker } from "../worker-wire.js";
import { errorResponses, type RouteDeps, SECURITY, type ZartOpenAPIHono } from "./shared.js";

const listWorkers = createRoute({
  method: "get",
  path: "/api/v1/workers",
  operationId: "listWorkers",
  summary: "The registered workers, by id",
  description:
    "Each running worker registers itself and heart-beats at a third of its lease duration; one " +
    "whose last heartbeat is older than its lease duration is `gone`. A clean stop removes it.",
  security: SECURITY,
  responses: {
    200: { description: "The workers", content: { "application/json": { schema: WorkerListSchema } } },
    ...errorResponses(401),
  },
});

export function registerWorkerRoutes(app: ZartOpenAPIHono, { durable }: RouteDeps): void {
  app.openapi(listWorkers, async (c) => {
    const workers = await durable.listWorkers();
    return c.json({ workers: workers.map(toWireWorker) }, 200);
  });
}
