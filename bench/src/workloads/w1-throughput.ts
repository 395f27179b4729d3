import { measureThroughput } from "./throughput.js";
import type { RunContext, Sample, Workload } from "./types.js";

const STEPS = 3;

/** W1: executions of three no-op steps, enqueued up front, drained by one and then two worker processes. */
export const w1: Workload = {
  id: "W1",
  title: "W1 throughput (3 no-op steps)",
  kinds: ["three-steps"],
  metrics: [
    {
      metric: "W1",
      label: "W1 throughput, 1 worker",
      unit: "executions/s",
      stat: "median",
      higherIsBetter: true,
    },
    { metric: "W1", label: "W1 throughput, 1 worker", unit: "steps/s", stat: "median", higherIsBetter: true },
    {
      metric: "W1-2w",
      label: "W1 throughput, 2 workers",
      unit: "executions/s",
      stat: "median",
      higherIsBetter: true,
    },
    {
      metric: "W1-2w",
      label: "W1 throughput, 2 workers",
      unit: "steps/s",
      stat: "median",
      higherIsBetter: true,
    },
  ],
  describe: (s) =>
    `${s.w1Executions} executions of ${STEPS} no-op steps enqueued before the workers start; ` +
    `1 worker process (concurrency ${s.concurrency}), then 2; rate = (n − 1) / (last − first completion)`,
  async run(ctx: RunContext): Promise<Sample[]> {
    const samples: Sample[] = [];
    const add = (metric: string, rate: number) => {
      samples.push({ metric, unit: "executions/s", stat: "median", value: rate });
      samples.push({ metric, unit: "steps/s", stat: "median", value: rate * STEPS });
    };
    const count = ctx.settings.w1Executions;
    const one = await ctx.prepare();
    add("W1", await measureThroughput(ctx, one, { kind: "three-steps", count, workers: 1, prefix: "w1a" }));
    await ctx.release(one);
    if (!ctx.adapter.multiProcess) {
      ctx.notApplicable("W1-2w", "single-process store");
      return samples;
    }
    const two = await ctx.prepare();
    add(
      "W1-2w",
      await measureThroughput(ctx, two, { kind: "three-steps", count, workers: 2, prefix: "w1b" }),
    );
    return samples;
  },
};
