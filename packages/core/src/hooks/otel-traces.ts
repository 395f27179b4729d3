import { context, type Span, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import { restoreTraceContext } from "./trace-context.js";
import type { WorkerHooks } from "./worker-hooks.js";

/**
 * Worker hooks tracing with OpenTelemetry on `tracer` (default: the global tracer provider's
 * `@zart/core` tracer, a no-op until an SDK is registered): one span per run of a claimed unit
 * (`zart.execution <task>` or `zart.parallel <task>/<step>`), a child span per step attempt
 * (`zart.step <step>`), an event per suspension (sleep, event wait, retry backoff), errors
 * recorded with an error status. Every span carries `zart.execution_id`. A run's span is a child of
 * the trace context persisted with the execution (its starter's, inherited by child executions),
 * so every run of one execution, on any worker, is in its starter's trace; a run resuming from an
 * event wait links to the offerer's context. Without a persisted context a run is a root span.
 */
export function tracingHooks(tracer: Tracer = trace.getTracer("@zart/core")): WorkerHooks {
  /** Open run spans, by execution id and the parallel step a child run executes. */
  const runs = new Map<string, Span>();
  /** Open step spans, by execution id, step name and attempt. */
  const steps = new Map<string, Span>();
  const runKey = (executionId: string, step: string | undefined) => `${executionId}\u0000${step ?? ""}`;
  // A parallel step's attempts belong to its child run; other steps to the execution's run.
  const runOf = (executionId: string, step: string) =>
    runs.get(runKey(executionId, step)) ?? runs.get(runKey(executionId, undefined));

  return {
    attemptStarted(info) {
      const name =
        info.unit === "child"
          ? `zart.parallel ${info.taskName}/${info.step}`
          : `zart.execution ${info.taskName}`;
      const parent = restoreTraceContext(info.traceContext);
      const offer = restoreTraceContext(info.resumedBy);
      const offerSpan = offer && trace.getSpanContext(offer);
      const span = tracer.startSpan(
        name,
        {
          root: parent === undefined,
          ...(offerSpan
            ? { links: [{ context: offerSpan, attributes: { "zart.link": "event-offer" } }] }
            : {}),
          attributes: {
            "zart.execution_id": info.executionId,
            "zart.task": info.taskName,
            "zart.attempt": info.attempt,
            "zart.unit": info.unit,
            "zart.replay": info.replay,
            "zart.worker_id": info.workerId,
            ...(info.step ? { "zart.step": info.step } : {}),
            ...(info.dueAt
              ? { "zart.wakeup_lag_ms": Math.max(0, info.claimedAt.getTime() - info.dueAt.getTime()) }
              : {}),
          },
        },
        parent,
      );
      runs.set(runKey(info.executionId, info.step), span);
    },
    attemptEnded(info) {
      const key = runKey(info.executionId, info.step);
      const span = runs.get(key);
      if (!span) return;
      runs.delete(key);
      span.setAttribute("zart.outcome", info.outcome);
      if (info.wakeAt) span.setAttribute("zart.wake_at", info.wakeAt.toISOString());
      if (info.outcome === "failed" || info.outcome === "crashed" || info.outcome === "lost") {
        recordError(span, info.error);
      }
      span.end();
    },
    stepStarted(info) {
      const parent = runOf(info.executionId, info.step);
      const span = tracer.startSpan(
        `zart.step ${info.step}`,
        {
          attributes: {
            "zart.execution_id": info.executionId,
            "zart.task": info.taskName,
            "zart.step": info.step,
            "zart.step_kind": info.kind,
            "zart.attempt": info.attempt,
          },
        },
        parent ? trace.setSpan(context.active(), parent) : undefined,
      );
      steps.set(`${info.executionId}\u0000${info.step}\u0000${info.attempt}`, span);
    },
    stepEnded(info) {
      const key = `${info.executionId}\u0000${info.step}\u0000${info.attempt}`;
      const span = steps.get(key);
      if (!span) return;
      steps.delete(key);
      span.setAttribute("zart.outcome", info.outcome);
      if (info.outcome !== "completed") recordError(span, info.error);
      span.end();
    },
    suspended(info) {
      runs.get(runKey(info.executionId, undefined))?.addEvent(`zart.suspend.${info.reason}`, {
        ...(info.step ? { "zart.step": info.step } : {}),
        ...(info.wakeAt ? { "zart.wake_at": info.wakeAt.toISOString() } : {}),
      });
    },
  };
}

function recordError(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    ...(error === undefined ? {} : { message: error instanceof Error ? error.message : String(error) }),
  });
}
