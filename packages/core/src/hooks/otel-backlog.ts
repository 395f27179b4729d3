import { type BatchObservableResult, type Meter, metrics } from "@opentelemetry/api";
import type { Clock } from "../clock.js";
import type { Scheduler } from "../scheduler/scheduler.js";

/**
 * Observes the store's backlog on `meter` (default: the global `@zart/core` meter), read with one
 * `countDue` per collection, labelled by task only: `zart.backlog` (executions due and unclaimed)
 * and `zart.backlog.oldest_age` (seconds since the oldest of them became due). A task whose
 * backlog drained is reported at 0 once, so its series drops to 0 instead of going stale.
 * Returns the function that stops observing.
 */
export function observeBacklog(
  scheduler: Pick<Scheduler, "countDue"> & { readonly clock: Clock },
  meter: Meter = metrics.getMeter("@zart/core"),
): () => void {
  const backlog = meter.createObservableGauge("zart.backlog", {
    description: "Executions due (pending or waiting, wake time passed) and not claimed, by task.",
  });
  const oldestAge = meter.createObservableGauge("zart.backlog.oldest_age", {
    description: "Time since the oldest due, unclaimed execution of a task became due.",
    unit: "s",
  });
  let reported = new Set<string>();
  const callback = async (observer: BatchObservableResult) => {
    const now = scheduler.clock.now();
    const counts = await scheduler.countDue(now);
    const seen = new Set<string>();
    for (const { taskName, due, oldestDueAt } of counts) {
      seen.add(taskName);
      observer.observe(backlog, due, { task: taskName });
      observer.observe(oldestAge, Math.max(0, now.getTime() - oldestDueAt.getTime()) / 1000, {
        task: taskName,
      });
    }
    for (const taskName of reported) {
      if (seen.has(taskName)) continue;
      observer.observe(backlog, 0, { task: taskName });
      observer.observe(oldestAge, 0, { task: taskName });
    }
    reported = seen;
  };
  meter.addBatchObservableCallback(callback, [backlog, oldestAge]);
  return () => meter.removeBatchObservableCallback(callback, [backlog, oldestAge]);
}
