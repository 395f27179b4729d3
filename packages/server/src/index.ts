export { ApiError, envelope, STATUS_BY_CODE } from "./api-error.js";
export { createZartApp, OPENAPI_PATH, type ZartAppOptions } from "./app.js";
export { type ConsoleOptions, serveConsole } from "./console.js";
export { InsecureBindError } from "./errors.js";
export { isLoopbackHost } from "./loopback.js";
export {
  createPrometheusMetrics,
  type MetricsSource,
  type PrometheusMetrics,
  type PrometheusMetricsOptions,
} from "./prometheus-metrics.js";
export * from "./queue-schemas.js";
export * from "./schemas.js";
export { type RunningServer, type ServerOptions, startServer } from "./server.js";
export { DEFAULT_WAIT_MS, MAX_WAIT_MS, parseWaitTimeout } from "./wait-timeout.js";
export { snakeKeys, toSnakeCase, toWireErrorInfo, toWireEvent, toWireExecution, toWireStep } from "./wire.js";
export * from "./worker-schemas.js";
