/**
 * Contract types of the worker registry (`durable.listWorkers()`): each running `Worker` keeps a
 * row about itself, written by one upsert per heartbeat, so operators see who holds which lease.
 */

/** A worker's row, as it writes it (`heartbeatWorker`) and as `listWorkers` returns it. */
export interface WorkerRecord {
  workerId: string;
  /** `os.hostname()` of its process. */
  host: string;
  pid: number;
  /** The tasks it claims. */
  taskNames: string[];
  concurrency: number;
  /** Its lease duration: a worker whose last heartbeat is older than this is gone. */
  leaseMs: number;
  /** When the worker started. */
  startedAt: Date;
  /** Its last heartbeat: the latest `now` any `heartbeatWorker` call for it carried. */
  heartbeatAt: Date;
}

/** The worker registry verbs every store implements (part of `Scheduler`). */
export interface WorkerRegistry {
  /**
   * Atomic upsert of the worker's row: creates it, or replaces every field but `heartbeatAt`,
   * which becomes the later of the stored one and `now` (a delayed heartbeat never moves it
   * back). Racing calls for one id leave one row.
   */
  heartbeatWorker(worker: Omit<WorkerRecord, "heartbeatAt">, now: Date): Promise<void>;

  /** Every registered worker, ordered by `workerId`. */
  listWorkers(): Promise<WorkerRecord[]>;

  /** Deletes the worker's row (a clean stop); `false` when unknown. */
  removeWorker(workerId: string): Promise<boolean>;
}
