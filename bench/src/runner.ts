/**
 * Runs the selected workloads on the selected systems: for each workload, `runs` rounds, each round
 * visiting every system (in a rotated order, so no system always goes first). Anything a run opens
 * is closed after it; a failure is recorded with its reason and the next system runs.
 */
import type { Settings } from "./config.js";
import { errorText, forEachLimit, withTimeout } from "./harness/limit.js";
import { Scope } from "./harness/scope.js";
import type { SystemAdapter } from "./systems/types.js";
import type { Sample, Workload } from "./workloads/types.js";

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
  const { settings } = options;
  for (const workload of workloads) {
    let applicable = systems.filter((system) => {
      const missing = workload.kinds.filter((k) => !system.kinds.includes(k));
      const skipped =
        system.notMeasured?.[workload.id] ??
        (workload.systems && !workload.systems.includes(system.name)
          ? `measured on ${workload.systems.join(", ")} only`
          : undefined);
      if (missing.length === 0 && skipped === undefined) return true;
      const reason =
        skipped ??
        (system.family === "queue"
          ? "job queue: measured on W1b, W1c and W3 only"
          : `no ${missing.join(", ")} task`);
      for (const m of workload.metrics) outcome.notApplicable.set(`${m.metric}|${system.name}`, reason);
      return false;
    });
    const tag = () => `${workload.id.toLowerCase()}-${Date.now().toString(36)}`;
    // Setup (W6's history load) is not measured: systems set up side by side.
    const setups = new Map<string, { scope: Scope; state: unknown }>();
    const { setup } = workload;
    if (setup) {
      await forEachLimit(applicable, settings.setupParallel, async (system) => {
        const scope = new Scope(workload, system, options, outcome, tag());
        try {
          const state = await bounded(setup(scope.ctx), settings.timeoutMs * 10);
          setups.set(system.name, { scope, state });
        } catch (error) {
          await scope.close();
          fail(workload, system, "setup", error, options, outcome);
        }
      });
      applicable = applicable.filter((system) => setups.has(system.name));
    }
    try {
      for (let round = 0; round < settings.runs; round++) {
        const rotated = applicable.map(
          (_, i) => applicable[(i + round) % applicable.length] as SystemAdapter,
        );
        // Side by side (smoke run), the slowest systems go first so they do not finish last alone.
        const order = settings.parallel > 1 ? [...rotated].sort((a, b) => weight(b) - weight(a)) : rotated;
        await forEachLimit(order, settings.parallel, async (system) => {
          const label = `${workload.id} ${system.name}${settings.runs > 1 ? ` (run ${round + 1}/${settings.runs})` : ""}`;
          const started = performance.now();
          const scope = new Scope(workload, system, options, outcome, tag());
          try {
            const samples = await bounded(
              workload.run(scope.ctx, setups.get(system.name)?.state),
              settings.timeoutMs * 4,
            );
            outcome.records.push({ workload: workload.id, system: system.name, round, samples });
            const seconds = ((performance.now() - started) / 1000).toFixed(1);
            options.log(`${label}: ${samples.map(formatSample).join(", ") || "n/a"} (${seconds} s)`);
          } catch (error) {
            fail(workload, system, label, error, options, outcome);
          } finally {
            await scope.close();
          }
        });
      }
    } finally {
      for (const { scope } of setups.values()) await scope.close();
    }
  }
}

/** Rough cost of a system's run (worker start-up and speed), for ordering side-by-side runs. */
function weight(system: SystemAdapter): number {
  return system.family === "durable" ? 2 : system.inProcess ? 0 : 1;
}

function fail(
  workload: Workload,
  system: SystemAdapter,
  label: string,
  error: unknown,
  options: RunnerOptions,
  outcome: Outcome,
): void {
  const reason = errorText(error);
  addFailure(outcome, { system: system.name, workload: workload.id, reason, runs: 1 });
  options.log(
    `${label.startsWith(workload.id) ? label : `${workload.id} ${system.name} ${label}`}: FAILED — ${reason}`,
  );
}

export function addFailure(outcome: Outcome, failure: Failure): void {
  const same = outcome.failures.find((f) => f.system === failure.system && f.workload === failure.workload);
  if (same) same.runs += failure.runs;
  else outcome.failures.push(failure);
}

function formatSample(s: Sample): string {
  const value =
    s.unit === "ms" || s.unit === "×"
      ? s.value.toFixed(s.value < 10 ? 2 : 1)
      : s.value < 10
        ? s.value.toPrecision(3)
        : s.value.toFixed(0);
  return `${s.metric}${s.stat === "median" ? "" : ` ${s.stat}`} ${value} ${s.unit}`;
}

/** Runs `step` within `scope`, failing after `budgetMs`; a late promise is left to fail quietly. */
async function bounded<T>(step: Promise<T>, budgetMs: number): Promise<T> {
  step.catch(() => undefined);
  return withTimeout(step, budgetMs, `gave up after ${Math.round(budgetMs / 1000)} s`);
}
