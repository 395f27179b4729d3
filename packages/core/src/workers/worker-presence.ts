import { hostname } from "node:os";
import type { Logger } from "../engine/logger.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import type { WorkerRecord } from "../scheduler/workers.js";

/** What a worker says about itself at each heartbeat (read per beat: its task list may grow). */
export interface PresenceSource {
  workerId: string;
  concurrency: number;
  leaseMs: number;
  taskNames(): string[];
}

/**
 * A worker's row in the store's registry: written at start, then once per `everyMs` (one upsert,
 * whatever the number of units running), and deleted on a clean stop. A crashed worker's row
 * stays; its heartbeat ages past its lease duration and it shows as gone.
 */
export class WorkerPresence {
  readonly #scheduler: Scheduler;
  readonly #logger: Logger;
  readonly #source: PresenceSource;
  readonly #everyMs: number;
  #startedAt: Date | undefined;
  #timer: NodeJS.Timeout | undefined;
  #beating: Promise<void> | undefined;

  constructor(scheduler: Scheduler, logger: Logger, source: PresenceSource, everyMs: number) {
    this.#scheduler = scheduler;
    this.#logger = logger;
    this.#source = source;
    this.#everyMs = everyMs;
  }

  /** Registers the worker (resolves after the first upsert) and starts the heartbeats. */
  async start(): Promise<void> {
    this.#startedAt = this.#scheduler.clock.now();
    await this.#beat();
    clearInterval(this.#timer);
    this.#timer = setInterval(() => void this.#beat(), this.#everyMs).unref();
  }

  /** One upsert at a time: a slow store does not pile heartbeats up. */
  #beat(): Promise<void> {
    this.#beating ??= this.#upsert().finally(() => {
      this.#beating = undefined;
    });
    return this.#beating;
  }

  /** Stops the heartbeats and removes the worker's row. */
  async stop(): Promise<void> {
    if (this.#startedAt === undefined) return;
    clearInterval(this.#timer);
    this.#startedAt = undefined;
    // A heartbeat in flight must not re-create the row after it is removed.
    await this.#beating;
    await this.#scheduler.removeWorker(this.#source.workerId).catch((error: unknown) => {
      this.#logger.warn({ error: String(error) }, "removing the worker from the registry failed");
    });
  }

  async #upsert(): Promise<void> {
    if (this.#startedAt === undefined) return;
    const row: Omit<WorkerRecord, "heartbeatAt"> = {
      workerId: this.#source.workerId,
      host: hostname(),
      pid: process.pid,
      taskNames: this.#source.taskNames(),
      concurrency: this.#source.concurrency,
      leaseMs: this.#source.leaseMs,
      startedAt: this.#startedAt,
    };
    try {
      await this.#scheduler.heartbeatWorker(row, this.#scheduler.clock.now());
    } catch (error) {
      this.#logger.warn({ error: String(error) }, "worker heartbeat failed; will retry");
    }
  }
}
