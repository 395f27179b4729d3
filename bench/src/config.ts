/** Counts and limits for a full run and for `--quick` (the CI smoke run). */
export interface Settings {
  quick: boolean;
  /** Runs per (workload, system), interleaved across systems; the median is reported. */
  runs: number;
  /** Concurrency of every worker process. */
  concurrency: number;
  /** W1: executions of three no-op steps. */
  w1Executions: number;
  /** W11: executions in the store, steps of the execution opened, and requests timed per figure. */
  w11Rows: number;
  w11Steps: number;
  w11Samples: number;
  /** W1b: one-step executions (or jobs). */
  w1bExecutions: number;
  /** Per-system W1b counts for systems too slow for the full count (rates are comparable). */
  w1bOverrides: Record<string, number>;
  /** W1c: one-step executions (or jobs) enqueued while one worker runs. */
  w1cExecutions: number;
  /** Per-system W1c counts for systems too slow for the full count. */
  w1cOverrides: Record<string, number>;
  /** W2: samples, taken in batches of waiting executions. */
  w2Samples: number;
  w2Batch: number;
  /** W3: samples. */
  w3Samples: number;
  /** Per-system W3 samples for systems whose start latency is a polling interval. */
  w3Overrides: Record<string, number>;
  /** Pause between latency samples, so each lands on an idle system. */
  gapMs: number;
  /** W4: parallel steps of the one execution. */
  w4Width: number;
  /** W7: parent executions, each invoking `w7Children` child executions of three steps. */
  w7Parents: number;
  w7Children: number;
  /** W5: sleeping executions and their sleep. */
  w5Executions: number;
  w5SleepMs: number;
  /** W5: starts per second (paced, so the lag measures timers rather than a start backlog). */
  w5Rate: number;
  /** W6: finished executions loaded before W1 runs again. */
  w6Preload: number;
  /** Per-system W6 preload for systems too slow to load the full count in the time budget. */
  w6Overrides: Record<string, number>;
  /** W2: how long waiting executions sit before the first offer, so each has surely parked. */
  settleMs: number;
  /** Systems measured at the same time. 1 for real figures; more only in the smoke run. */
  parallel: number;
  /** Systems doing their unmeasured setup (W6's history load) at the same time. */
  setupParallel: number;
  /** Longest wait for one measurement. */
  timeoutMs: number;
}

export const FULL: Settings = {
  quick: false,
  w11Rows: 100_000,
  w11Steps: 1000,
  w11Samples: 200,
  runs: 3,
  concurrency: 32,
  w1Executions: 5000,
  w1bExecutions: 10_000,
  w1bOverrides: { "pg-boss": 600 },
  w1cExecutions: 10_000,
  w1cOverrides: { "pg-boss": 600 },
  w2Samples: 500,
  w2Batch: 25,
  w3Samples: 100,
  w3Overrides: { "pg-boss": 20 },
  gapMs: 5,
  w4Width: 500,
  w7Parents: 100,
  w7Children: 10,
  w5Executions: 2000,
  w5SleepMs: 1000,
  w5Rate: 200,
  w6Preload: 100_000,
  w6Overrides: {},
  settleMs: 300,
  parallel: 1,
  setupParallel: 3,
  timeoutMs: 180_000,
};

export const QUICK: Settings = {
  quick: true,
  w11Rows: 2_000,
  w11Steps: 1000,
  w11Samples: 20,
  runs: 1,
  concurrency: 32,
  w1Executions: 100,
  w1bExecutions: 200,
  w1bOverrides: { "pg-boss": 64 },
  w1cExecutions: 200,
  w1cOverrides: { "pg-boss": 64 },
  w2Samples: 10,
  w2Batch: 5,
  w3Samples: 5,
  w3Overrides: { "pg-boss": 2 },
  gapMs: 2,
  w4Width: 20,
  w7Parents: 5,
  w7Children: 10,
  w5Executions: 20,
  w5SleepMs: 300,
  w5Rate: 200,
  w6Preload: 100,
  w6Overrides: {},
  settleMs: 100,
  parallel: 3,
  setupParallel: 3,
  timeoutMs: 30_000,
};

export function w1bCount(settings: Settings, system: string): number {
  return settings.w1bOverrides[system] ?? settings.w1bExecutions;
}

export function w1cCount(settings: Settings, system: string): number {
  return settings.w1cOverrides[system] ?? settings.w1cExecutions;
}

export function w3Samples(settings: Settings, system: string): number {
  return settings.w3Overrides[system] ?? settings.w3Samples;
}

export function w6Preload(settings: Settings, system: string): number {
  return settings.w6Overrides[system] ?? settings.w6Preload;
}
