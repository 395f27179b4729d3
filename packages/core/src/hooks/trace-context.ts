import { type Context, context, propagation, ROOT_CONTEXT, trace } from "@opentelemetry/api";

/**
 * The trace context persisted with an execution or an event: the JSON text of the carrier the
 * global propagator writes (W3C `traceparent`, `tracestate`). With no tracer the active context has
 * no span and nothing is serialized; with a no-op propagator the carrier stays empty: nothing kept.
 */
export function captureTraceContext(active: Context = context.active()): string | undefined {
  if (trace.getSpan(active) === undefined) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  return Object.keys(carrier).length === 0 ? undefined : JSON.stringify(carrier);
}

/** The context a persisted trace context stands for; undefined when absent, unreadable or empty. */
export function restoreTraceContext(text: string | undefined): Context | undefined {
  if (text === undefined) return undefined;
  let carrier: unknown;
  try {
    carrier = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof carrier !== "object" || carrier === null) return undefined;
  const restored = propagation.extract(ROOT_CONTEXT, carrier as Record<string, unknown>);
  return trace.getSpanContext(restored) === undefined ? undefined : restored;
}
