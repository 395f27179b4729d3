import { w3Samples } from "../config.js";
import { delay } from "../harness/limit.js";
import { percentile } from "../stats.js";
import { now } from "../tasks.js";
import { overrides } from "./throughput.js";
import type { RunContext, Sample, Workload } from "./types.js";

/** One sample slower than this fails the run (e.g. an event offered before the wait registered). */
const SAMPLE_TIMEOUT_MS = 30_000;

const WARM_UP = 3;

/** W3: start one execution at a time on an idle system; time start → its first step running. */
export const w3: Workload = {
  id: "W3",
  title: "W3 start latency",
  kinds: ["one-step"],
  metrics: [
    { metric: "W3", label: "W3 start → first step", unit: "ms", stat: "p50", higherIsBetter: false },
    { metric: "W3", label: "W3 start → first step", unit: "ms", stat: "p99", higherIsBetter: false },
  ],
  describe: (s) =>
    `${s.w3Samples} samples after ${WARM_UP} warm-up starts, sequential, ${s.gapMs} ms apart; 1 worker process` +
    overrides(s.w3Overrides),
  async run(ctx: RunContext): Promise<Sample[]> {
    const { settings } = ctx;
    const prepared = await ctx.prepare();
    const { group, collector } = await ctx.launch(prepared, 1);
    await group.go();
    const latencies: number[] = [];
    const ids = ctx.ids("w3", w3Samples(settings, ctx.adapter.name) + WARM_UP);
    for (const [i, id] of ids.entries()) {
      const t0 = now();
      await prepared.client.start("one-step", { id });
      const mark = await collector.waitMark("d", id, SAMPLE_TIMEOUT_MS);
      if (i >= WARM_UP) latencies.push(mark.t - t0);
      await delay(settings.gapMs);
    }
    return [
      { metric: "W3", unit: "ms", stat: "p50", value: percentile(latencies, 50) },
      { metric: "W3", unit: "ms", stat: "p99", value: percentile(latencies, 99) },
    ];
  },
};
