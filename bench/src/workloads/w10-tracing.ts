import { costSamples } from "./cost.js";
import { measureThroughput } from "./throughput.js";
import type { RunContext, Sample, Workload } from "./types.js";

/** Spans one 3-step execution makes: its run, and one per step attempt. */
const SPANS_PER_EXECUTION = 4;
/** Executions each worker runs before the measured ones, as a fraction of their count. */
const WARM_SHARE = 0.2;

/**
 * W10 (issue #17 item 7): what OpenTelemetry tracing costs a worker. W1 (one worker) without
 * tracing and with Zart's `tracingHooks` on an SDK tracer (see `systems/zart-tracing.ts`), each on
 * fresh storage, in the same run; the traced run must have exported every span it should have.
 * Both workers first run a warm-up share outside the figures: a fresh process spends its first
 * executions compiling, and the traced one has the SDK's code to compile too, a one-off cost a
 * long-lived worker does not pay per execution. The two sides swap order every run, so neither
 * always runs second (after the other's database was dropped and its WAL written).
 */
export const w10: Workload = {
  id: "W10",
  title: "W10 OpenTelemetry tracing cost",
  kinds: ["three-steps"],
  systems: ["zart-postgres"],
  metrics: [
    {
      metric: "W10-off",
      label: "W10 W1 without tracing",
      unit: "executions/s",
      stat: "median",
      higherIsBetter: true,
    },
    {
      metric: "W10",
      label: "W10 W1 with OpenTelemetry tracing",
      unit: "executions/s",
      stat: "median",
      higherIsBetter: true,
    },
    {
      metric: "W10",
      label: "W10 traced rate / untraced rate",
      unit: "×",
      stat: "median",
      higherIsBetter: true,
    },
  ],
  describe: (s) =>
    `W1 (${s.w1Executions} executions of 3 no-op steps, 1 worker process, concurrency ${s.concurrency}) ` +
    "without and with `tracingHooks` on an OpenTelemetry SDK tracer " +
    "(`BasicTracerProvider`, `BatchSpanProcessor`, an exporter that counts and drops the spans), each on " +
    `fresh storage in the same run, in alternating order; each worker first runs ${Math.round(s.w1Executions * WARM_SHARE)} ` +
    "warm-up executions, outside the figures; ratio = traced rate / untraced rate (issue #17 target: ≥ 0.90); " +
    "cost measured on both",
  // The run counter that alternates the sides' order.
  setup: async () => ({ runs: 0 }),
  async run(ctx: RunContext, state: unknown): Promise<Sample[]> {
    const count = ctx.settings.w1Executions;
    const warm = Math.round(count * WARM_SHARE);
    const samples: Sample[] = [];
    const measure = async (tracing: boolean) => {
      const metric = tracing ? "W10" : "W10-off";
      const prepared = await ctx.prepare();
      const result = await measureThroughput(ctx, prepared, {
        kind: "three-steps",
        count,
        workers: 1,
        prefix: tracing ? "w10t" : "w10u",
        meter: true,
        tracing,
        warm,
      });
      samples.push({ metric, unit: "executions/s", stat: "median", value: result.rate });
      if (result.cost) samples.push(...costSamples(metric, result.cost, count));
      return result;
    };
    const order = state as { runs: number };
    const tracedFirst = order.runs++ % 2 === 1;
    const first = await measure(tracedFirst);
    const second = await measure(!tracedFirst);
    const [plain, traced] = tracedFirst ? [second, first] : [first, second];
    const expected = (warm + count) * SPANS_PER_EXECUTION;
    if ((traced.spans ?? 0) < expected) {
      throw new Error(`the traced worker exported ${traced.spans ?? 0} spans, expected at least ${expected}`);
    }
    samples.push({ metric: "W10", unit: "×", stat: "median", value: traced.rate / plain.rate });
    return samples;
  },
};
