import { chunks, delay } from "../harness/limit.js";
import { percentile } from "../stats.js";
import type { RunContext, Sample, Workload } from "./types.js";

/** Starts are sent in slices this often. */
const SLICE_MS = 50;

/**
 * W5: executions are started at a steady rate and each sleeps; lag = when the step after the sleep
 * starts − (when the step before it ran + the sleep). Pacing keeps the start backlog out of the
 * figure: started all at once, the first sleepers would wait behind later starts, and the lag would
 * measure start throughput instead of timers.
 */
export const w5: Workload = {
  id: "W5",
  title: "W5 timers",
  kinds: ["sleep"],
  metrics: [
    { metric: "W5", label: "W5 wake lag", unit: "ms", stat: "p50", higherIsBetter: false },
    { metric: "W5", label: "W5 wake lag", unit: "ms", stat: "p99", higherIsBetter: false },
  ],
  describe: (s) =>
    `${s.w5Executions} executions started at ${s.w5Rate}/s, each sleeping ${s.w5SleepMs} ms after a first step ` +
    `(about ${Math.round((s.w5Rate * s.w5SleepMs) / 1000)} asleep at any moment); 1 worker process`,
  async run(ctx: RunContext): Promise<Sample[]> {
    const { settings } = ctx;
    const prepared = await ctx.prepare();
    const { group, collector } = await ctx.launch(prepared, 1);
    await group.go();
    const inputs = ctx.ids("w5", settings.w5Executions).map((id) => ({ id, sleepMs: settings.w5SleepMs }));
    const perSlice = Math.max(1, Math.round((settings.w5Rate * SLICE_MS) / 1000));
    const begin = performance.now();
    for (const [i, slice] of chunks(inputs, perSlice).entries()) {
      const wait = begin + i * SLICE_MS - performance.now();
      if (wait > 0) await delay(wait);
      await prepared.client.startMany("sleep", slice);
    }
    await collector.waitCount("lag", inputs.length, settings.timeoutMs);
    const lags = collector.all("lag").map((m) => m.v ?? Number.NaN);
    return [
      { metric: "W5", unit: "ms", stat: "p50", value: percentile(lags, 50) },
      { metric: "W5", unit: "ms", stat: "p99", value: percentile(lags, 99) },
    ];
  },
};
