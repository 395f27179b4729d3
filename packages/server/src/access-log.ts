import type { Logger } from "@zart/core";
import type { Context, MiddlewareHandler } from "hono";

/** Probes answer every few seconds: their lines are `debug`, so `info` shows only real traffic. */
const PROBES = new Set(["/healthz", "/readyz"]);

/** The request's id (from `hono/request-id`: the incoming `X-Request-Id`, else a new UUID). */
export function requestIdOf(c: Context): string | undefined {
  return c.get("requestId") as string | undefined;
}

/**
 * One access-log line per request, once it is answered: `requestId`, `method`, `path`, `status`,
 * `durationMs`. Runs after `requestId()`, so the id in the line is the one sent back in `X-Request-Id`.
 */
export function accessLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const fields = {
      requestId: requestIdOf(c),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round(performance.now() - started),
    };
    if (PROBES.has(c.req.path)) logger.debug(fields, "request");
    else logger.info(fields, "request");
  };
}
