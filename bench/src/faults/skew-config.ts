/** What the clock-skew test and its worker processes (`skew-worker.ts`) share. */

/** What the test passes to a worker process. */
export interface SkewWorkerConfig {
  store: "postgres" | "redis";
  url: string;
  /** Postgres schema or Redis key prefix. */
  namespace: string;
  timeSource: "database" | "local";
  skewMs: number;
  workerId: string;
  ledger: string;
  leaseMs: number;
  pollMs: number;
  concurrency: number;
}

/** The task of the test: a step that works for a while, a durable sleep, a step after it. */
export const SKEW_TASK = "skewed-sleeper";

/** The input of one execution. */
export interface SkewInput {
  workMs: number;
  sleepMs: number;
}
