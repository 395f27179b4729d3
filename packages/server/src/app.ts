import { OpenAPIHono } from "@hono/zod-openapi";
import {
  consoleLogger,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DurableScheduler,
  type Logger,
  type Scheduler,
  type TaskRegistry,
} from "@zart/core";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { accessLog } from "./access-log.js";
import { ApiError, envelope, errorResponse } from "./api-error.js";
import { bearerAuth } from "./auth.js";
import { type ConsoleOptions, serveConsole } from "./console.js";
import type { MetricsSource } from "./prometheus-metrics.js";
import { registerBulkRoute } from "./routes/bulk.js";
import { registerEventRoutes } from "./routes/events.js";
import { registerExecutionRoutes } from "./routes/executions.js";
import { registerHealthRoutes } from "./routes/health.js";
import { registerMetricsRoute } from "./routes/metrics.js";
import { registerOperatorActionRoutes } from "./routes/operator-actions.js";
import { registerPauseRuleRoutes } from "./routes/pause-rules.js";
import { registerPurgeRoute } from "./routes/purge.js";
import { registerQueueRoutes } from "./routes/queues.js";
import { registerScheduleRoutes } from "./routes/schedules.js";
import type { RouteDeps } from "./routes/shared.js";
import { registerStartBatchRoute } from "./routes/start-batch.js";
import { registerWaitRoute } from "./routes/wait.js";
import { registerWorkerRoutes } from "./routes/workers.js";
import { resolveToken } from "./token.js";
import { requestTraceContext } from "./trace-context.js";
import { validationHook } from "./validation-hook.js";

/** Options of {@link createZartApp}. */
export interface ZartAppOptions {
  /** The store the API reads and writes. It is not closed by the app. */
  scheduler: Scheduler;
  /**
   * When given, `POST /executions` rejects unknown task names (`400 TASK_NOT_REGISTERED`) and
   * validates `data` with the task's input schema. Without it any task name is accepted and waits
   * for a worker that knows it.
   */
  registry?: TaskRegistry;
  /**
   * Bearer token every `/api/v1` route requires (`/healthz`, `/readyz` and the OpenAPI document
   * stay open). Default: `process.env.ZART_API_TOKEN`. `false` turns authentication off (for an
   * app that authenticates requests itself before they reach this one).
   */
  token?: string | false;
  /** Largest request body in bytes; larger is a `413 PAYLOAD_TOO_LARGE`. Default 1 MiB. */
  bodyLimit?: number;
  /** Size limit for inputs and event payloads once parsed (default 1 MiB). */
  maxPayloadBytes?: number;
  /**
   * Where the access log (one `info` line per request, `debug` for probes, with the request id) and
   * errors go. A `pino()` logger fits as is. Default: warnings and errors to stderr.
   */
  logger?: Logger;
  /**
   * Origins whose browser pages may call `/api/v1` (CORS): a list of origins, or `"*"` for any.
   * Default: none (no CORS headers; browsers allow same-origin calls only).
   */
  corsOrigin?: string | string[];
  /** When given, the operator console is served at `/` (see {@link serveConsole}). */
  console?: ConsoleOptions;
  /**
   * When given, `GET /metrics` answers with its Prometheus text (see `createPrometheusMetrics`),
   * open like `/healthz`.
   */
  metrics?: MetricsSource;
  /** When aborted, pending long polls end (used by {@link startServer} on close). */
  shutdown?: AbortSignal;
}

/** The OpenAPI document's path. */
export const OPENAPI_PATH = "/api/v1/openapi.json";

/**
 * Builds the HTTP API as a Hono app: mount it into an existing Hono app (`parent.route("/", app)`)
 * or hand `app.fetch` to any server that speaks the Fetch API (Node via `@hono/node-server`, Bun,
 * Deno, workers). The routes live under `/api/v1`, plus `/healthz` and `/readyz`.
 */
export function createZartApp(options: ZartAppOptions): OpenAPIHono {
  const logger = options.logger ?? consoleLogger;
  const token = resolveToken(options.token);
  const maxBody = options.bodyLimit ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const deps: RouteDeps = {
    scheduler: options.scheduler,
    durable: new DurableScheduler(options.scheduler, {
      ...(options.registry ? { registry: options.registry } : {}),
      ...(options.maxPayloadBytes === undefined ? {} : { maxPayloadBytes: options.maxPayloadBytes }),
    }),
    logger,
    ...(options.shutdown ? { shutdown: options.shutdown } : {}),
  };

  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.onError((error, c) => errorResponse(error, c, logger));
  // Every answer carries `X-Request-Id` (the caller's, when it sent a well-formed one).
  app.use("*", requestId());
  app.use("*", accessLog(logger));

  if (options.corsOrigin !== undefined) {
    // Before the token check: a preflight carries no Authorization header.
    app.use(
      "/api/v1/*",
      cors({
        origin: options.corsOrigin,
        allowHeaders: [
          "Authorization",
          "Content-Type",
          "Idempotency-Key",
          "X-Request-Id",
          "traceparent",
          "tracestate",
        ],
        exposeHeaders: ["X-Request-Id"],
        maxAge: 600,
      }),
    );
  }
  app.use("/api/v1/*", async (c, next) => {
    c.header("Cache-Control", "no-store");
    await next();
  });
  app.use("/api/v1/*", requestTraceContext);
  if (token) {
    const auth = bearerAuth(token);
    app.use("/api/v1/*", (c, next) => (c.req.path === OPENAPI_PATH ? next() : auth(c, next)));
  }
  app.use(
    "/api/v1/*",
    bodyLimit({
      maxSize: maxBody,
      onError: () => {
        throw new ApiError(413, "PAYLOAD_TOO_LARGE", `The body is over the ${maxBody}-byte limit.`, {
          limit: maxBody,
        });
      },
    }),
  );

  registerHealthRoutes(app, deps);
  registerEventRoutes(app, deps);
  registerStartBatchRoute(app, deps);
  registerBulkRoute(app, deps);
  registerExecutionRoutes(app, deps);
  registerOperatorActionRoutes(app, deps);
  registerWaitRoute(app, deps);
  registerPurgeRoute(app, deps);
  registerScheduleRoutes(app, deps);
  registerWorkerRoutes(app, deps);
  registerPauseRuleRoutes(app, deps);
  registerQueueRoutes(app, deps);
  if (options.metrics) registerMetricsRoute(app, options.metrics);
  if (options.console) app.route("/", serveConsole(options.console));

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "The server's API token (`ZART_API_TOKEN` / `zart serve --token`).",
  });
  app.doc31(OPENAPI_PATH, {
    openapi: "3.1.0",
    info: {
      title: "Zart HTTP API",
      version: "1.0.0",
      description: "Start, inspect, signal, wait for and cancel durable executions.",
    },
  });

  const routes = app.routes.map((r) => ({ method: r.method, pattern: toRegExp(r.path) }));
  app.notFound((c) => {
    const allowed = [
      ...new Set(routes.filter((r) => r.pattern.test(c.req.path)).map((r) => r.method.toUpperCase())),
    ].filter((m) => m !== "ALL");
    if (allowed.length > 0) {
      c.header("Allow", allowed.join(", "));
      return c.json(
        envelope("METHOD_NOT_ALLOWED", `${c.req.method} is not allowed here; use ${allowed.join(" or ")}.`),
        405,
      );
    }
    return c.json(envelope("NOT_FOUND", `No route ${c.req.method} ${c.req.path}; see ${OPENAPI_PATH}.`), 404);
  });
  return app;
}

function toRegExp(path: string): RegExp {
  const source = path
    .split("/")
    .map((part) => (part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${source}$`);
}
