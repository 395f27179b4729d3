import type { Settings } from "../config.js";
import type { Collector } from "../harness/collector.js";
import type { WorkerGroup } from "../harness/workers.js";
import type { Prepared, SystemAdapter } from "../systems/types.js";
import type { TaskKind } from "../tasks.js";
import type { CostUnit } from "./cost.js";

export type Unit = "executions/s" | "steps/s" | "ms" | "×" | CostUnit;
export type Stat = "median" | "p50" | "p99";

/** One figure from one run of a workload on one system. */
export interface Sample {
  /** Result id, e.g. "W1", "W1-2w" (the `workload` field of latest.json). */
  metric: string;
  unit: Unit;
  stat: Stat;
  value: number;
}

export interface Workers {
  group: WorkerGroup;
  collector: Collector;
}

/** What a workload gets to run once on one system. Everything it opens is closed by the runner. */
export interface RunContext {
  adapter: SystemAdapter;
  settings: Settings;
  /** Wipes the system's storage (in `slot`, see `SystemAdapter.prepare`) and opens a client. */
  prepare(slot?: string): Promise<Prepared>;
  /**
   * Connects `count` workers (processes; one in-process worker for in-process systems when
   * `count` is 1, or when the system is single-process) with a fresh collector. Call `go()`.
   */
  launch(prepared: Prepared, count: number, concurrency?: number): Promise<Workers>;
  /** Stops the workers and closes the client early (the runner does it anyway at the end). */
  release(prepared: Prepared, workers?: Workers): Promise<void>;
  /** Unique execution ids for this run. */
  ids(prefix: string, count: number): string[];
  /** Records why a figure of this workload does not apply to this system. */
  notApplicable(metric: string, reason: string): void;
  log(message: string): void;
}

export interface Workload {
  id: string;
  title: string;
  /** Task kinds it starts; systems lacking one are "not applicable". */
  kinds: readonly TaskKind[];
  /** Only these systems (the others: "not applicable"); default: every system with the kinds. */
  systems?: readonly string[];
  /** Metrics it produces (for the table's row order). */
  metrics: readonly { metric: string; label: string; unit: Unit; stat: Stat; higherIsBetter: boolean }[];
  /** One line for the report: counts and how it is measured. */
  describe(settings: Settings): string;
  /**
   * Unmeasured preparation done once per system before the rounds (systems side by side); its
   * result is passed to every `run`, and what it opened stays open until the last round is over.
   */
  setup?(ctx: RunContext): Promise<unknown>;
  run(ctx: RunContext, state?: unknown): Promise<Sample[]>;
}
