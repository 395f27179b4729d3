/**
 * The small interface every benchmarked system implements. The parent process (the harness) uses
 * `prepare` and the returned client; worker processes (or the harness itself, for in-process
 * systems) use `startWorker`. Every system runs the same task kinds, defined in `../tasks.ts`.
 */
import type { TaskInput, TaskKind } from "../tasks.js";

/** A measurement mark sent by a task body: `kind` at time `t` (ms, wall clock), with an optional value. */
export interface Mark {
  kind: string;
  id: string;
  t: number;
  v?: number;
}

export type Reporter = (kind: string, id: string, value?: number) => void;

/** Everything a worker process needs to reach the storage of one run. JSON-serializable. */
export interface SystemEnv {
  system: string;
  /** Unique per prepared run; used to name queues, files and key prefixes. */
  tag: string;
  pgUrl?: string;
  redisUrl?: string;
  prefix?: string;
  path?: string;
  /** A server the adapter started (Restate): where to send invocations and register deployments. */
  ingressUrl?: string;
  adminUrl?: string;
  /** Zart: the worker runs with the OpenTelemetry tracing hooks (W10). */
  tracing?: boolean;
}

export interface WorkerOptions {
  concurrency: number;
  /** 0-based index of this worker among the run's workers. */
  index: number;
  report: Reporter;
}

/** A worker that is connected and registered but only starts taking work on `go()`. */
export interface PreparedWorker {
  go(): Promise<void>;
  stop(): Promise<void>;
}

/** `base` for the default slot, else `base_slot` (database names). */
export function slotted(base: string, slot: string | undefined, separator = "_"): string {
  return slot ? `${base}${separator}${slot}` : base;
}

/** The client side of one prepared run. */
export interface SystemClient {
  /** Starts one execution (or enqueues one job) of `kind`. */
  start(kind: TaskKind, input: TaskInput): Promise<void>;
  /** Starts many (the adapter may batch); resolves when all are persisted. */
  startMany(kind: TaskKind, inputs: TaskInput[]): Promise<void>;
  /** Delivers event `name` to the execution started with `input.id === id`. */
  signal(id: string, name: string, payload: unknown): Promise<void>;
  close(): Promise<void>;
}

export interface Prepared {
  env: SystemEnv;
  client: SystemClient;
  /** A server process the adapter started for this run (Restate): its CPU is the server side's cost. */
  serverPid?: number;
}

export type Family = "zart" | "durable" | "queue";

export interface SystemAdapter {
  readonly name: string;
  readonly family: Family;
  /**
   * Runs its workers inside the harness process (the client shares the store object with them).
   * Workloads asking for several worker processes then run one in-process worker, or are skipped
   * when they measure scale-out.
   */
  readonly inProcess: boolean;
  /** Several worker processes may share the storage. */
  readonly multiProcess: boolean;
  /** Task kinds this system implements; a workload needing another kind is "not applicable". */
  readonly kinds: readonly TaskKind[];
  /** Workloads (by id, e.g. "W6") or figures (by metric, e.g. "W1-2w") not measured, with the reason. */
  readonly notMeasured?: Readonly<Record<string, string>>;
  /** The package and version measured, e.g. `@dbos-inc/dbos-sdk 5.3.0`. */
  version(): Promise<string>;
  /** One-line description of the settings used, for the report. */
  readonly settings: string;
  /**
   * Wipes and creates this system's storage (database, key prefix, file) and opens a client.
   * `slot` names a second, separate storage (W6 keeps its loaded history in slot "w6" while W1
   * runs on fresh storage in the default slot). `concurrency` is the workers' concurrency, for a
   * system whose server decides how much runs at once (Restate).
   */
  prepare(tag: string, slot?: string, concurrency?: number): Promise<Prepared>;
  /** Connects a worker (called in a worker process, or in the harness for in-process systems). */
  startWorker(env: SystemEnv, options: WorkerOptions): Promise<PreparedWorker>;
}
