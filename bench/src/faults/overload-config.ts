/** What the overload test and its worker processes (`overload-worker.ts`) share. */

/** A worker process's config (JSON in its first argument). */
export interface OverloadWorkerConfig {
  url: string;
  schema: string;
  workerId: string;
  ledger: string;
  concurrency: number;
}

/** The tasks whose executions are started interleaved. */
export const OVERLOAD_TASKS = ["overload-a", "overload-b", "overload-c"] as const;
