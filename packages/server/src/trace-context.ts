import { context, propagation, trace } from "@opentelemetry/api";
import type { MiddlewareHandler } from "hono";

/**
 * Runs the request in the trace context its `traceparent`/`tracestate` headers carry (W3C Trace
 * Context, read by the global propagator), so an execution it starts or an event it offers persists
 * it. An active span (HTTP instrumentation already made one) or no header: nothing to do.
 */
export const requestTraceContext: MiddlewareHandler = (c, next) => {
  const traceparent = c.req.header("traceparent");
  const active = context.active();
  if (traceparent === undefined || trace.getSpan(active) !== undefined) return next();
  const tracestate = c.req.header("tracestate");
  const carrier = tracestate === undefined ? { traceparent } : { traceparent, tracestate };
  return context.with(propagation.extract(active, carrier), next);
};
