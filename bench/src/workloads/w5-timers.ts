import { percentile } from "../stats.js";
import type { RunContext, Sample, Workload } from "./types.js";

/** W5: many executions sleep; lag = when the step after the sleep starts − (step before + sleep). */
export const w5: Workload = {
  id: "W5",
  title: "W5 timers",
  kinds: ["sleep"],
  metrics: [
    { metric: "W5", label: "W5 wake lag", unit: "ms", stat: "p50", higherIsBetter: false },
    { metric: "W5", label: "W5 wake lag", unit: "ms", stat: "p99", higherIsBetter: false },
  ],
  describe: (s) =>
    `${s.w5Executions} executions started together, each sleeping ${s.w5SleepMs} ms; 1 worker process`,
  async run(ctx: RunContext): Promise<Sample[]> {
    const { settings } = ctx;
    const prepared = await ctx.prepare();
    const { group, collector } = await ctx.launch(prepared, 1);
    await group.go();
    const inputs = ctx.ids("w5", settings.w5Executions).map((id) => ({ id, sleepMs: settings.w5SleepMs }));
    await prepared.client.startMany("sleep", inputs);
    await collector.waitCount("lag", inputs.length, settings.timeoutMs);
    const lags = collector.all("lag").map((m) => m.v ?? Number.NaN);
    return [
      { metric: "W5", unit: "ms", stat: "p50", value: percentile(lags, 50) },
      { metric: "W5", unit: "ms", stat: "p99", value: percentile(lags, 99) },
    ];
  },
};
