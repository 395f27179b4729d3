import type { OpenAPIHono } from "@hono/zod-openapi";
import type { DurableScheduler, Logger, Scheduler } from "@zart/core";
import { ErrorEnvelopeSchema } from "../schemas.js";

/** What every route module needs. */
export interface RouteDeps {
  scheduler: Scheduler;
  durable: DurableScheduler;
  logger: Logger;
  /** Aborted when a standalone server shuts down: long polls end early. */
  shutdown?: AbortSignal;
}

/** The app type the route modules register on. */
export type ZartOpenAPIHono = OpenAPIHono;

const DESCRIPTIONS: Record<number, string> = {
  400: "Bad JSON, failed validation, or an unknown task name (`VALIDATION`, `INVALID_JSON`, `TASK_NOT_REGISTERED`).",
  401: "Missing or wrong bearer token (`UNAUTHORIZED`).",
  404: "No such execution or schedule (`EXECUTION_NOT_FOUND`, `SCHEDULE_NOT_FOUND`).",
  409: "The execution or schedule already exists (`EXECUTION_ALREADY_EXISTS`, `SCHEDULE_ALREADY_EXISTS`) or the execution is finished (`EXECUTION_TERMINAL`).",
  413: "The body is over the size limit (`PAYLOAD_TOO_LARGE`).",
  415: "The body is not `application/json` (`UNSUPPORTED_MEDIA_TYPE`).",
  503: "The store is unreachable (`STORE_UNAVAILABLE`).",
};

/** OpenAPI response entries (the error envelope) for the given statuses. */
export function errorResponses<S extends keyof typeof DESCRIPTIONS>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: DESCRIPTIONS[status] ?? "Error",
        content: { "application/json": { schema: ErrorEnvelopeSchema } },
      },
    ]),
  ) as Record<
    S,
    { description: string; content: { "application/json": { schema: typeof ErrorEnvelopeSchema } } }
  >;
}

/** Every API route is behind the bearer token when one is configured. */
export const SECURITY = [{ bearerAuth: [] }];
