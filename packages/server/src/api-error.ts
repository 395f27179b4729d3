import { type Logger, ZartError } from "@zart/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { requestIdOf } from "./access-log.js";
import type { ErrorEnvelope } from "./schemas.js";
import { snakeKeys } from "./wire.js";

/** An error the API answers with a given HTTP status and error code. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/**
 * HTTP status of each core error code. `TASK_NOT_REGISTERED` is a 400: the URL names a collection
 * that exists, it is the request body that names an unknown task. Codes not listed are a 500.
 */
export const STATUS_BY_CODE: Readonly<Record<string, ContentfulStatusCode>> = {
  VALIDATION: 400,
  SERIALIZATION: 400,
  TASK_NOT_REGISTERED: 400,
  EXECUTION_NOT_FOUND: 404,
  STEP_NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  EXECUTION_ALREADY_EXISTS: 409,
  EXECUTION_TERMINAL: 409,
  EXECUTION_NOT_RETRYABLE: 409,
  EXECUTION_NOT_PAUSABLE: 409,
  EXECUTION_NOT_PAUSED: 409,
  SCHEDULE_NOT_FOUND: 404,
  SCHEDULE_ALREADY_EXISTS: 409,
  PAUSE_RULE_NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  STORE_UNAVAILABLE: 503,
};

const HTTP_EXCEPTION_CODES: Readonly<Record<number, string>> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
};

/** The `{"error":{"code","message","details?"}}` envelope. */
export function envelope(code: string, message: string, details?: Record<string, unknown>): ErrorEnvelope {
  const body: ErrorEnvelope = { error: { code, message } };
  const safe = details === undefined ? undefined : jsonSafe(snakeKeys(details));
  if (safe && Object.keys(safe).length > 0) body.error.details = safe;
  return body;
}

/**
 * Turns anything thrown while handling a request into an enveloped JSON answer. Expected errors
 * keep their code and message; anything else is logged and answered `500 INTERNAL` with a
 * generic message — a stack trace never leaves the server.
 */
export function errorResponse(error: unknown, c: Context, logger: Logger): Response {
  if (error instanceof ApiError) {
    return c.json(envelope(error.code, error.message, error.details), error.status);
  }
  if (error instanceof ZartError && error.code === "STORE_UNAVAILABLE") {
    logger.warn(
      { requestId: requestIdOf(c), path: c.req.path, error: error.message },
      "the store is unavailable",
    );
    return c.json(envelope(error.code, "The store is unreachable; try again later."), 503);
  }
  if (error instanceof ZartError) {
    const status = STATUS_BY_CODE[error.code];
    if (status) return c.json(envelope(error.code, error.message, error.details), status);
  }
  if (clientWentAway(error, c)) {
    // Nobody will read this answer; a routine event, not a server fault.
    logger.info(
      { requestId: requestIdOf(c), method: c.req.method, path: c.req.path },
      "the client went away before the request was read",
    );
    return c.json(envelope("BAD_REQUEST", "The request was aborted by the client."), 400);
  }
  if (error instanceof HTTPException && error.status < 500) {
    const code = HTTP_EXCEPTION_CODES[error.status] ?? "BAD_REQUEST";
    return c.json(envelope(code, error.message || code), error.status as ContentfulStatusCode);
  }
  logger.error(
    {
      requestId: requestIdOf(c),
      method: c.req.method,
      path: c.req.path,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    },
    "unexpected error while handling a request",
  );
  return c.json(envelope("INTERNAL", "Internal server error; see the server log."), 500);
}

/** Node reports a connection closed mid-body as `ECONNRESET` ("aborted") from the body stream. */
function clientWentAway(error: unknown, c: Context): boolean {
  return (
    (error as { code?: unknown } | undefined)?.code === "ECONNRESET" || c.req.raw.signal?.aborted === true
  );
}

function jsonSafe(value: Record<string, unknown>): Record<string, unknown> | undefined {
  try {
    return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
