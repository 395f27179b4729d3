import { type Meter, metrics } from "@opentelemetry/api";
import { ExecutionCancelledError } from "../errors.js";
import type { WorkerHooks } from "./worker-hooks.js";

/**
 * Worker hooks recording OpenTelemetry metrics on `meter` (default: the global meter provider's
 * `@zart/core` meter, a no-op until an SDK is registered). Labels stay low-cardinality: task and
 * step names (a repeated step's `#n` suffix dropped), kinds and outcomes, never execution ids.
 */
/** Histogram buckets in seconds, from a fast step to a long one (OTel's default ones suit ms). */
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

export function metricsHooks(meter: Meter = metrics.getMeter("@zart/core")): WorkerHooks {
  const started = meter.createCounter("zart.executions.started", {
    description: "Executions whose first attempt was claimed.",
  });
  const ended = meter.createCounter("zart.executions.ended", {
    description: "Executions ended on this worker, by status (completed, failed, cancelled).",
  });
  const runs = meter.createCounter("zart.runs", {
    description: "Runs of claimed units (executions or parallel steps), by outcome.",
  });
  const leaseLosses = meter.createCounter("zart.lease.losses", {
    description: "Runs abandoned because their lease was lost or the store was unreachable.",
  });
  const wakeUpLag = meter.createHistogram("zart.wakeup.lag", {
    description: "Time from a unit's due time to its claim.",
    unit: "s",
    advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
  });
  const stepDuration = meter.createHistogram("zart.step.duration", {
    description: "Duration of step attempts.",
    unit: "s",
    advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
  });
  const stepAttempts = meter.createCounter("zart.step.attempts", {
    description: "Step attempts, by outcome (completed, retry, failed).",
  });
  return {
    attemptStarted({ taskName, attempt, unit, replay, dueAt, claimedAt }) {
      // A first run given back before its first step (worker stop) is counted again when reclaimed.
      if (unit === "execution" && attempt === 0 && !replay) started.add(1, { task: taskName });
      if (dueAt)
        wakeUpLag.record(Math.max(0, claimedAt.getTime() - dueAt.getTime()) / 1000, { task: taskName });
    },
    attemptEnded({ taskName, unit, outcome, error }) {
      runs.add(1, { task: taskName, unit, outcome });
      if (outcome === "completed" || outcome === "failed") ended.add(1, { task: taskName, status: outcome });
      else if (outcome === "lost" && error instanceof ExecutionCancelledError)
        ended.add(1, { task: taskName, status: "cancelled" });
      else if (outcome === "lost") leaseLosses.add(1, { task: taskName });
    },
    stepEnded({ taskName, step, kind, outcome, durationMs }) {
      const labels = { task: taskName, step: step.replace(/#\d+$/, ""), kind, outcome };
      stepAttempts.add(1, labels);
      stepDuration.record(durationMs / 1000, labels);
    },
  };
}
