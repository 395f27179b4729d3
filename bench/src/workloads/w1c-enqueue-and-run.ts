import { w1cCount } from "../config.js";
import { now } from "../tasks.js";
import { costSamples, startMeter } from "./cost.js";
import { overrides } from "./throughput.js";
import type { RunContext, Sample, Workload } from "./types.js";

/**
 * W1c: enqueue and run end to end. One worker process is already taking work when the bench
 * enqueues one-step executions (or jobs) through the system's own fastest enqueue API
 * (`SystemClient.startMany`); the rate runs from the first enqueue call to the last completion.
 */
export const w1c: Workload = {
  id: "W1c",
  title: "W1c enqueue + run",
  kinds: ["one-step"],
  metrics: [
    {
      metric: "W1c",
      label: "W1c enqueue + run, end to end",
      unit: "executions/s",
      stat: "median",
      higherIsBetter: true,
    },
    {
      metric: "W1c-enqueue",
      label: "W1c enqueue alone (while the worker runs)",
      unit: "executions/s",
      stat: "median",
      higherIsBetter: true,
    },
  ],
  describe: (s) =>
    `${s.w1cExecutions} one-step executions (a queue: one job each) enqueued through each system's fastest ` +
    `enqueue API while 1 worker process (concurrency ${s.concurrency}) runs; end to end = n / (last ` +
    "completion − first enqueue call); enqueue alone = n / (enqueue calls done − first call); cost includes " +
    "the enqueue (client = the bench process)" +
    overrides(s.w1cOverrides),
  async run(ctx: RunContext): Promise<Sample[]> {
    const count = w1cCount(ctx.settings, ctx.adapter.name);
    const inputs = ctx.ids("w1c", count).map((id) => ({ id }));
    const prepared = await ctx.prepare();
    const workers = await ctx.launch(prepared, 1);
    await workers.group.go();
    const meter = await startMeter(prepared, workers, true);
    try {
      const t0 = now();
      await prepared.client.startMany("one-step", inputs);
      const enqueued = now();
      await workers.collector.waitCount("d", count, ctx.settings.timeoutMs);
      await meter.stopCpu();
      const last = Math.max(...workers.collector.all("d").map((m) => m.t));
      await ctx.release(prepared, workers);
      return [
        { metric: "W1c", unit: "executions/s", stat: "median", value: (count * 1000) / (last - t0) },
        {
          metric: "W1c-enqueue",
          unit: "executions/s",
          stat: "median",
          value: (count * 1000) / (enqueued - t0),
        },
        ...costSamples("W1c", await meter.finish(), count),
      ];
    } finally {
      await meter.close();
    }
  },
};
