import { type Meter, metrics } from "@opentelemetry/api";
import type { Clock } from "../clock.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import { isGone } from "../workers/worker-info.js";

/**
 * Observes the worker registry on `meter` (default: the global `@zart/core` meter), read with one
 * `listWorkers` per collection: `zart.workers.alive`, the registered workers whose last heartbeat is
 * younger than their lease (those `durable.listWorkers()` shows `alive`). No labels: one number for
 * the fleet of this store. Returns the function that stops observing.
 */
export function observeWorkers(
  scheduler: Pick<Scheduler, "listWorkers"> & { readonly clock: Clock },
  meter: Meter = metrics.getMeter("@zart/core"),
): () => void {
  const alive = meter.createObservableGauge("zart.workers.alive", {
    description: "Registered workers whose heartbeat is fresh (younger than their lease).",
  });
  const callback = async (observer: { observe(value: number): void }) => {
    const now = scheduler.clock.now();
    const workers = await scheduler.listWorkers();
    observer.observe(workers.filter((worker) => !isGone(worker, now)).length);
  };
  alive.addCallback(callback);
  return () => alive.removeCallback(callback);
}
