import type { Duration } from "./duration.js";
import type { Logger } from "./engine/logger.js";
import type { WorkerHooks } from "./hooks/worker-hooks.js";
import type { Scheduler } from "./scheduler/scheduler.js";
import type { TaskRegistry } from "./task/task-registry.js";

export interface WorkerOptions {
  scheduler: Scheduler;
  registry: TaskRegistry;
  /**
   * Units (executions or parallel steps) run at once. Default 10. A unit whose code is over frees
   * its slot while its final write (complete, fail, retry) commits.
   */
  concurrency?: number;
  /**
   * Units claimed ahead of a free slot, to start the moment one frees (their leases are renewed
   * while they wait). Default 2 × `concurrency`: short units run without a claim round trip
   * between them. Fairness is kept by a bound: when no slot has freed for `pollInterval` (at least
   * 1 s; every slot busy with long units), the units waiting here are given back for an idle worker
   * to take, and this worker claims nothing ahead again until one of its slots frees. 0 turns
   * prefetching off.
   */
  prefetch?: number;
  /**
   * Poll for due work at least this often when no push arrives (each wait is shortened by up to a
   * tenth at random, so workers started together do not poll in step). Default `"1s"`.
   */
  pollInterval?: Duration;
  /** Lease length; renewed every third of it while a unit runs. Default `"30s"`. */
  leaseDuration?: Duration;
  /** Identifies this worker in leases (default: a random id). */
  workerId?: string;
  /** Where failures, retries and lease losses are logged (pino's shape; default: console). */
  logger?: Logger;
  /** Callbacks around execution and step attempts (see `WorkerHooks`); called in order. */
  hooks?: WorkerHooks | readonly WorkerHooks[];
  /** Size limit for step results, outputs and `ctx.data` (default 1 MiB). */
  maxPayloadBytes?: number;
}
