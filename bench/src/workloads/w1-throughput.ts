import { costSamples } from "./cost.js";
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
    `1 worker process (concurrency ${s.concurrency}), then 2; rate = (n − 1) / (last − first completion); ` +
    "cost measured on the 1-worker run",
  async run(ctx: RunContext): Promise<Sample[]> {
    const samples: Sample[] = [];
    const add = (metric: string, rate: number) => {
      samples.push({ metric, unit: "executions/s", stat: "median", value: rate });
      samples.push({ metric, unit: "steps/s", stat: "median", value: rate * STEPS });
    };
    const count = ctx.settings.w1Executions;
    const one = await ctx.prepare();
    const { rate, cost } = await measureThroughput(ctx, one, {
      kind: "three-steps",
      count,
      workers: 1,
      prefix: "w1a",
      meter: true,
    });
    add("W1", rate);
    if (cost) samples.push(...costSamples("W1", cost, count));
    await ctx.release(one);
    const single =
      ctx.adapter.notMeasured?.["W1-2w"] ?? (ctx.adapter.multiProcess ? undefined : "single-process store");
    if (single) {
      ctx.notApplicable("W1-2w", single);
      return samples;
    }
    const two = await ctx.prepare();
    const twoWorkers = await measureThroughput(ctx, two, {
      kind: "three-steps",
      count,
      workers: 2,
      prefix: "w1b",
    });
    add("W1-2w", twoWorkers.rate);
    return samples;
  },
};
