import {
  type Attributes,
  type Context,
  context,
  type Link,
  ROOT_CONTEXT,
  type Span,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { restoreTraceContext } from "./trace-context.js";
import type { AttemptInfo, WorkerHooks } from "./worker-hooks.js";

/** An open run span, with the context its step spans start in (made at the run's first step). */
interface OpenRun {
  span: Span;
  steps: Context | undefined;
}

/**
 * Worker hooks tracing with OpenTelemetry on `tracer` (default: the global tracer provider's
 * `@zart/core` tracer, a no-op until an SDK is registered): one span per run of a claimed unit
 * (`zart.execution <task>` or `zart.parallel <task>/<step>`), a child span per step attempt
 * (`zart.step <step>`), in whose context the step's body runs (so spans the body starts are its
 * children), an event per suspension (sleep, event wait, retry backoff), errors recorded with an
 * error status. Run spans carry `zart.execution_id`; their step spans, children,
 * do not repeat it (the SDK copies every attribute three times, on the step's path). A run's span
 * is a child of the trace context persisted with the execution (its starter's, inherited by child
 * executions), so every run of one execution, on any worker, is in its starter's trace; a run
 * resuming from an event wait links to the offerer's context. Without a persisted context a run is
 * a root span.
 *
 * They sit on every step's path, so they keep their per-step work small: a step attempt's span
 * rides on the info object the worker hands to `stepStarted` (and, completed, to `stepEnded`)
 * under a key of this instance's own, so no lookup by a built string key is needed to end it.
 */
export function tracingHooks(tracer: Tracer = trace.getTracer("@zart/core")): WorkerHooks {
  /** Where a span rides on the info objects of its start and (copied by the worker) its end. */
  const SPAN = Symbol("zart.span");
  type Carrying = { [SPAN]?: Span };
  /** Open execution runs, by execution id. */
  const runs = new Map<string, OpenRun>();
  /** Open child runs (one parallel step each), by execution id and step name. */
  const childRuns = new Map<string, OpenRun>();
  const childKey = (executionId: string, step: string) => `${executionId}\u0000${step}`;
  // A parallel step's attempts belong to its child run; other steps to the execution's run.
  const runOf = (executionId: string, step: string | undefined): OpenRun | undefined =>
    (childRuns.size > 0 && step !== undefined ? childRuns.get(childKey(executionId, step)) : undefined) ??
    runs.get(executionId);

  return {
    attemptStarted(info) {
      const child = info.unit === "child" && info.step !== undefined;
      const name = child ? `zart.parallel ${info.taskName}/${info.step}` : `zart.execution ${info.taskName}`;
      const parent = restoreTraceContext(info.traceContext);
      const links = offerLinks(info.resumedBy);
      // No persisted context: a root span, started in the root context (`root: true` would
      // derive a context from the active one, without its span, on every run).
      const span = tracer.startSpan(
        name,
        links === undefined
          ? { attributes: runAttributes(info) }
          : { attributes: runAttributes(info), links },
        parent ?? ROOT_CONTEXT,
      );
      (info as Carrying)[SPAN] = span;
      const run = { span, steps: undefined };
      if (child) childRuns.set(childKey(info.executionId, info.step as string), run);
      else runs.set(info.executionId, run);
    },
    attemptEnded(info) {
      const span = (info as Carrying)[SPAN];
      if (!span) return;
      if (info.unit === "child" && info.step !== undefined) {
        const key = childKey(info.executionId, info.step);
        if (childRuns.get(key)?.span === span) childRuns.delete(key);
      } else if (runs.get(info.executionId)?.span === span) runs.delete(info.executionId);
      if (span.isRecording()) {
        span.setAttribute("zart.outcome", info.outcome);
        if (info.wakeAt) span.setAttribute("zart.wake_at", info.wakeAt.toISOString());
        if (info.outcome === "failed" || info.outcome === "crashed" || info.outcome === "lost") {
          recordError(span, info.error);
        }
      }
      span.end();
    },
    stepStarted(info) {
      const run = runOf(info.executionId, info.step);
      // A run sampled out has no step spans: under the SDK's default (parent-based) sampling they
      // would be dropped too, after their ids, attributes and sampling were worked out.
      if (run && !run.span.isRecording()) return;
      if (run && run.steps === undefined) run.steps = trace.setSpan(context.active(), run.span);
      (info as Carrying)[SPAN] = tracer.startSpan(
        `zart.step ${info.step}`,
        {
          attributes: {
            "zart.step": info.step,
            "zart.step_kind": info.kind,
            "zart.attempt": info.attempt,
          },
        },
        run?.steps,
      );
    },
    runStep(info, body) {
      // The body runs in its step span's context: spans it starts (an HTTP or a database call
      // instrumented by the SDK) are that step's children.
      const span = (info as Carrying)[SPAN];
      return span ? context.with(trace.setSpan(context.active(), span), body) : body();
    },
    stepEnded(info) {
      const span = (info as Carrying)[SPAN];
      if (!span) return;
      span.setAttribute("zart.outcome", info.outcome);
      if (info.outcome !== "completed") recordError(span, info.error);
      span.end();
    },
    suspended(info) {
      const span = runs.get(info.executionId)?.span;
      if (!span?.isRecording()) return;
      const attributes: Attributes = {};
      if (info.step) attributes["zart.step"] = info.step;
      if (info.wakeAt) attributes["zart.wake_at"] = info.wakeAt.toISOString();
      span.addEvent(`zart.suspend.${info.reason}`, attributes);
    },
  };
}

function runAttributes(info: AttemptInfo): Attributes {
  const attributes: Attributes = {
    "zart.execution_id": info.executionId,
    "zart.task": info.taskName,
    "zart.attempt": info.attempt,
    "zart.unit": info.unit,
    "zart.replay": info.replay,
    "zart.worker_id": info.workerId,
  };
  if (info.step) attributes["zart.step"] = info.step;
  if (info.dueAt) {
    attributes["zart.wakeup_lag_ms"] = Math.max(0, info.claimedAt.getTime() - info.dueAt.getTime());
  }
  return attributes;
}

/** The link to the offer whose event answered the wait a run resumes from. */
function offerLinks(resumedBy: string | undefined): Link[] | undefined {
  const offer = restoreTraceContext(resumedBy);
  const offerSpan = offer && trace.getSpanContext(offer);
  return offerSpan ? [{ context: offerSpan, attributes: { "zart.link": "event-offer" } }] : undefined;
}

function recordError(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus(
    error === undefined
      ? { code: SpanStatusCode.ERROR }
      : { code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) },
  );
}
