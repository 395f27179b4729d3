import { costSamples } from "./cost.js";
import { measureThroughput } from "./throughput.js";
import type { RunContext, Sample, Workload } from "./types.js";

/** Spans one 3-step execution makes: its run, and one per step attempt. */
const SPANS_PER_EXECUTION = 4;

/**
 * W10 (issue #17 item 7): what OpenTelemetry tracing costs a worker. W1 (one worker) without
 * tracing, then with Zart's `tracingHooks` on an SDK tracer (see `systems/zart-tracing.ts`), each on
 * fresh storage, in the same run; the traced run must have exported every span it should have.
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
    "without tracing, then with `tracingHooks` on an OpenTelemetry SDK tracer " +
    "(`BasicTracerProvider`, `BatchSpanProcessor`, an exporter that counts and drops the spans), each on " +
    "fresh storage in the same run; ratio = traced rate / untraced rate (issue #17 target: ≥ 0.90); " +
    "cost measured on both",
  async run(ctx: RunContext): Promise<Sample[]> {
    const count = ctx.settings.w1Executions;
    const samples: Sample[] = [];
    const measure = async (metric: string, tracing: boolean) => {
      const prepared = await ctx.prepare();
      const result = await measureThroughput(ctx, prepared, {
        kind: "three-steps",
        count,
        workers: 1,
        prefix: tracing ? "w10t" : "w10u",
        meter: true,
        tracing,
      });
      samples.push({ metric, unit: "executions/s", stat: "median", value: result.rate });
      if (result.cost) samples.push(...costSamples(metric, result.cost, count));
      return result;
    };
    const plain = await measure("W10-off", false);
    const traced = await measure("W10", true);
    const expected = count * SPANS_PER_EXECUTION;
    if ((traced.spans ?? 0) < expected) {
      throw new Error(`the traced worker exported ${traced.spans ?? 0} spans, expected at least ${expected}`);
    }
    samples.push({ metric: "W10", unit: "×", stat: "median", value: traced.rate / plain.rate });
    return samples;
  },
};
