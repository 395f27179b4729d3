import { w1bCount } from "../config.js";
import { costSamples } from "./cost.js";
import { measureThroughput, overrides } from "./throughput.js";
import type { RunContext, Sample, Workload } from "./types.js";

/** W1b: one-step executions, or one job each on the queues, drained by one worker process. */
export const w1b: Workload = {
  id: "W1b",
  title: "W1b single step",
  kinds: ["one-step"],
  metrics: [
    {
      metric: "W1b",
      label: "W1b one-step executions or jobs",
      unit: "executions/s",
      stat: "median",
      higherIsBetter: true,
    },
  ],
  describe: (s) =>
    `${s.w1bExecutions} one-step executions (a queue: one job each) enqueued before 1 worker process ` +
    `(concurrency ${s.concurrency}) starts` +
    overrides(s.w1bOverrides),
  async run(ctx: RunContext): Promise<Sample[]> {
    const prepared = await ctx.prepare();
    const count = w1bCount(ctx.settings, ctx.adapter.name);
    const { rate, cost } = await measureThroughput(ctx, prepared, {
      kind: "one-step",
      count,
      workers: 1,
      prefix: "w1b",
      meter: true,
    });
    return [
      { metric: "W1b", unit: "executions/s", stat: "median", value: rate },
      ...(cost ? costSamples("W1b", cost, count) : []),
    ];
  },
};
