/**
 * Runs the selected workloads on the selected systems: for each workload, `runs` rounds, each round
 * visiting every system (in a rotated order, so no system always goes first). Anything a run opens
 * is closed after it; a failure is recorded with its reason and the next system runs.
 */
import type { Settings } from "./config.js";
import { Collector } from "./harness/collector.js";
import { errorText, forEachLimit, withTimeout } from "./harness/limit.js";
import { launchWorkers } from "./harness/workers.js";
import type { Prepared, SystemAdapter } from "./systems/types.js";
import type { RunContext, Sample, Workers, Workload } from "./workloads/types.js";

export interface Failure {
  system: string;
  workload: string;
  reason: string;
  runs: number;
}

export interface RunRecord {
  workload: string;
  system: string;
  round: number;
  samples: Sample[];
}

export interface Outcome {
  records: RunRecord[];
  failures: Failure[];
  /** `${metric}|${system}` → reason. */
  notApplicable: Map<string, string>;
}

export interface RunnerOptions {
  settings: Settings;
  verbose: boolean;
  log: (message: string) => void;
}

export async function runAll(
  workloads: readonly Workload[],
  systems: readonly SystemAdapter[],
  options: RunnerOptions,
  outcome: Outcome,
): Promise<void> {
  for (const workload of workloads) {
    const applicable = systems.filter((system) => {
      const missing = workload.kinds.filter((k) => !system.kinds.includes(k));
      if (missing.length === 0) return true;
      const reason =
        system.family === "queue"
          ? "job queue: measured on W1b and W3 only"
          : `no ${missing.join(", ")} task`;
      for (const m of workload.metrics) outcome.notApplicable.set(`${m.metric}|${system.name}`, reason);
      return false;
    });
    const rounds = workload.repeatsInternally ? 1 : options.settings.runs;
    for (let round = 0; round < rounds; round++) {
      const order = applicable.map((_, i) => applicable[(i + round) % applicable.length] as SystemAdapter);
      await forEachLimit(order, options.settings.parallel, async (system) => {
        const label = `${workload.id} ${system.name}${rounds > 1 ? ` (run ${round + 1}/${rounds})` : ""}`;
        const started = performance.now();
        try {
          const samples = await runOnce(workload, system, options, outcome);
          outcome.records.push({ workload: workload.id, system: system.name, round, samples });
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          options.log(`${label}: ${samples.map(formatSample).join(", ") || "n/a"} (${seconds} s)`);
        } catch (error) {
          const reason = errorText(error);
          addFailure(outcome, { system: system.name, workload: workload.id, reason, runs: 1 });
          options.log(`${label}: FAILED — ${reason}`);
        }
      });
    }
  }
}

export function addFailure(outcome: Outcome, failure: Failure): void {
  const same = outcome.failures.find((f) => f.system === failure.system && f.workload === failure.workload);
  if (same) same.runs += failure.runs;
  else outcome.failures.push(failure);
}

function formatSample(s: Sample): string {
  const value =
    s.unit === "ms" || s.unit === "×" ? s.value.toFixed(s.value < 10 ? 2 : 1) : s.value.toFixed(0);
  return `${s.metric}${s.stat === "median" ? "" : ` ${s.stat}`} ${value} ${s.unit}`;
}

async function runOnce(
  workload: Workload,
  adapter: SystemAdapter,
  options: RunnerOptions,
  outcome: Outcome,
): Promise<Sample[]> {
  const { settings } = options;
  const opened: Prepared[] = [];
  const launched: Workers[] = [];
  let serial = 0;
  const tag = `${workload.id.toLowerCase()}-${Date.now().toString(36)}`;
  const ctx: RunContext = {
    adapter,
    settings,
    async prepare() {
      const prepared = await adapter.prepare(`${tag}-${serial++}`);
      opened.push(prepared);
      return prepared;
    },
    async launch(prepared, count, concurrency = settings.concurrency) {
      const inProcess = adapter.inProcess && (count === 1 || !adapter.multiProcess);
      const collector = new Collector();
      const group = await launchWorkers(
        adapter,
        prepared.env,
        { count: inProcess ? 1 : count, concurrency, inProcess, verbose: options.verbose },
        collector,
      );
      const workers = { group, collector };
      launched.push(workers);
      return workers;
    },
    async release(prepared, workers) {
      if (workers) await workers.group.stop();
      await closeClient(prepared, opened);
    },
    earlier: (metric, unit) =>
      outcome.records
        .filter((r) => r.system === adapter.name)
        .flatMap((r) => r.samples.filter((s) => s.metric === metric && s.unit === unit).map((s) => s.value)),
    ids: (prefix, count) => Array.from({ length: count }, (_, i) => `${tag}-${prefix}-${i}`),
    notApplicable: (metric, reason) => outcome.notApplicable.set(`${metric}|${adapter.name}`, reason),
    log: (message) => options.log(`  ${workload.id} ${adapter.name}: ${message}`),
  };
  const run = workload.run(ctx);
  run.catch(() => undefined);
  const budget = workload.repeatsInternally ? settings.timeoutMs * 20 : settings.timeoutMs * 4;
  try {
    return await withTimeout(run, budget, `gave up after ${Math.round(budget / 1000)} s`);
  } finally {
    for (const workers of launched.reverse()) await workers.group.stop();
    for (const prepared of [...opened]) await closeClient(prepared, opened);
  }
}

async function closeClient(prepared: Prepared, opened: Prepared[]): Promise<void> {
  const index = opened.indexOf(prepared);
  if (index === -1) return;
  opened.splice(index, 1);
  await withTimeout(prepared.client.close(), 10_000, "client close timed out").catch(() => undefined);
}
