import type { Cost, CostMeter } from "../harness/cost-meter.js";
import { ratePerSecond } from "../stats.js";
import type { Prepared } from "../systems/types.js";
import { SPANS_MARK, type TaskInput, type TaskKind } from "../tasks.js";
import { startMeter } from "./cost.js";
import type { RunContext } from "./types.js";

export interface ThroughputOptions {
  kind: TaskKind;
  count: number;
  workers: number;
  prefix: string;
  /** The input of the `index`-th execution (default `{ id }`). */
  input?: (id: string, index: number) => TaskInput;
  /** Workers run with Zart's OpenTelemetry tracing hooks (W10). */
  tracing?: boolean;
  /**
   * Executions enqueued ahead of the measured ones and run first by the same workers, outside the
   * rate and the cost (W10: so neither side's figure carries its JIT warm-up).
   */
  warm?: number;
  /**
   * Also measure the cost of the drain (from `go` to the last execution). The workers and the
   * client are then released before it returns, so Postgres has counted their commits.
   */
  meter?: boolean;
}

export interface Throughput {
  /** Executions per second over first → last completion. */
  rate: number;
  /** With `meter`: the drain's cost (including the workers' start on `go`). */
  cost?: Cost;
  /** With `tracing`: spans the workers' tracers exported. */
  spans?: number;
}

/**
 * Connects the workers (idle), enqueues `count` executions, then lets the workers take work and
 * waits for every execution's final mark. The workers are connected before the enqueue because a
 * push-based system (Restate) must have its endpoint registered to accept invocations; they take
 * no work until `go`, so every system still starts on a full backlog.
 */
export async function measureThroughput(
  ctx: RunContext,
  prepared: Prepared,
  options: ThroughputOptions,
): Promise<Throughput> {
  const { input = (id: string) => ({ id }), warm = 0 } = options;
  const inputs = ctx.ids(options.prefix, options.count).map(input);
  const warmIds = new Set(ctx.ids(`${options.prefix}-warm`, warm));
  const launched = options.tracing ? { ...prepared, env: { ...prepared.env, tracing: true } } : prepared;
  const workers = await ctx.launch(launched, options.workers);
  let result: Throughput;
  try {
    // Enqueued first, so claimed first: the first `warm` completions are (nearly all) theirs.
    if (warm > 0) await prepared.client.startMany(options.kind, [...warmIds].map(input));
    await prepared.client.startMany(options.kind, inputs);
    let meter: CostMeter | undefined;
    try {
      if (options.meter && warm === 0) meter = await startMeter(prepared, workers, false);
      await workers.group.go();
      if (warm > 0) {
        await workers.collector.waitCount("d", warm, ctx.settings.timeoutMs);
        if (options.meter) meter = await startMeter(prepared, workers, false);
      }
      await workers.collector.waitCount("d", warm + options.count, ctx.settings.timeoutMs);
      await meter?.stopCpu();
      const measured = workers.collector.all("d").filter((m) => !warmIds.has(m.id));
      const rate = ratePerSecond(measured.map((m) => m.t));
      if (meter) {
        await ctx.release(prepared, workers);
        result = { rate, cost: await meter.finish() };
      } else result = { rate };
    } finally {
      await meter?.close();
    }
  } finally {
    await workers.group.stop();
  }
  // A traced worker reports its span count as it stops.
  if (!options.tracing) return result;
  return { ...result, spans: workers.collector.all(SPANS_MARK).reduce((sum, m) => sum + (m.v ?? 0), 0) };
}

/** "; fewer for slow systems: a 600, b 20" for per-system count overrides, or "". */
export function overrides(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length ? `; fewer for slow systems: ${entries.map(([k, v]) => `${k} ${v}`).join(", ")}` : "";
}
