import { createRoute } from "@hono/zod-openapi";
import { StoreUnavailableError } from "@zart/core";
import { HealthSchema } from "../schemas.js";
import { errorResponses, type RouteDeps, type ZartOpenAPIHono } from "./shared.js";

/** `/readyz` gives up on a store that does not answer within this. */
const PING_TIMEOUT_MS = 5_000;

const healthz = createRoute({
  method: "get",
  path: "/healthz",
  operationId: "healthz",
  summary: "Liveness: the process answers",
  responses: { 200: { description: "Alive", content: { "application/json": { schema: HealthSchema } } } },
});

const readyz = createRoute({
  method: "get",
  path: "/readyz",
  operationId: "readyz",
  summary: "Readiness: the store answers a ping",
  responses: {
    200: { description: "Ready", content: { "application/json": { schema: HealthSchema } } },
    ...errorResponses(503),
  },
});

/** `/healthz` and `/readyz`: open even when a token is configured. */
export function registerHealthRoutes(app: ZartOpenAPIHono, { scheduler }: RouteDeps): void {
  app.openapi(healthz, (c) => c.json({ status: "ok" }, 200));

  app.openapi(readyz, async (c) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StoreUnavailableError(`The store did not answer within ${PING_TIMEOUT_MS} ms.`)),
        PING_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([scheduler.ping(), timeout]);
    } catch (error) {
      throw error instanceof StoreUnavailableError
        ? error
        : new StoreUnavailableError("The store did not answer the ping.", { cause: error });
    } finally {
      clearTimeout(timer);
    }
    return c.json({ status: "ready" }, 200);
  });
}
