import { createRoute } from "@hono/zod-openapi";
import { type DurableExecutionStatus, WaitTimeoutError } from "@zart/core";
import { ApiError } from "../api-error.js";
import { ExecutionParamsSchema, ExecutionSchema, WaitQuerySchema } from "../schemas.js";
import { parseWaitTimeout } from "../wait-timeout.js";
import { toWireExecution } from "../wire.js";
import { errorResponses, type RouteDeps, SECURITY, type ZartOpenAPIHono } from "./shared.js";

/** How often a long poll reads the status. */
const POLL_MS = 200;

const waitExecution = createRoute({
  method: "get",
  path: "/api/v1/executions/{execution_id}/wait",
  operationId: "waitExecution",
  summary: "Long-poll until the execution finishes",
  description:
    "Holds the request until the execution is completed, failed or cancelled, or `timeout` passes " +
    "(default 30s, at most 5m). Either way the answer is `200` with the status: a status that is " +
    "not terminal means the wait timed out — call again. The wait stops when the client disconnects.",
  security: SECURITY,
  request: { params: ExecutionParamsSchema, query: WaitQuerySchema },
  responses: {
    200: {
      description: "The status: terminal, or not yet terminal when the timeout passed",
      content: { "application/json": { schema: ExecutionSchema } },
    },
    ...errorResponses(400, 401, 404, 503),
  },
});

/** `GET /api/v1/executions/{execution_id}/wait?timeout=30s`. */
export function registerWaitRoute(app: ZartOpenAPIHono, { durable, shutdown }: RouteDeps): void {
  app.openapi(waitExecution, async (c) => {
    const { execution_id } = c.req.valid("param");
    const timeout = parseWaitTimeout(c.req.valid("query").timeout);
    const signals = [c.req.raw.signal, shutdown].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length === 1 ? signals[0] : AbortSignal.any(signals);
    let status: DurableExecutionStatus;
    try {
      status = await durable.wait(execution_id, {
        timeout,
        pollInterval: POLL_MS,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (error instanceof WaitTimeoutError) {
        status = await durable.status(execution_id);
      } else if (signal?.aborted) {
        // The client went away (nobody reads this answer) or the server is shutting down.
        throw new ApiError(503, "SHUTTING_DOWN", "The wait was interrupted; call again.");
      } else {
        throw error;
      }
    }
    c.header("Cache-Control", "no-store");
    return c.json(toWireExecution(status), 200);
  });
}
