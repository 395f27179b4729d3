import { w6Preload } from "../config.js";
import { chunks } from "../harness/limit.js";
import type { Prepared } from "../systems/types.js";
import { measureThroughput, overrides } from "./throughput.js";
import type { RunContext, Sample, Workload } from "./types.js";

const PRELOAD_CHUNK = 5000;

/**
 * W6: W1 (one worker) on tables already holding many finished executions. Setup loads them through
 * the system's own API (unmeasured, systems side by side); each round then measures W1 on top.
 * Slowdown = W1's median on fresh tables (the W1 workload of the same session) / this median; the
 * report computes it from the two medians, so W6 needs W1 in the same run (main adds it).
 */
export const w6: Workload = {
  id: "W6",
  title: "W6 scale",
  kinds: ["three-steps"],
  metrics: [
    { metric: "W6", label: "W6 W1 with history", unit: "executions/s", stat: "median", higherIsBetter: true },
    {
      metric: "W6",
      label: "W6 slowdown vs W1 (fresh tables)",
      unit: "×",
      stat: "median",
      higherIsBetter: false,
    },
  ],
  describe: (s) =>
    `${s.w6Preload} finished 3-step executions are loaded into fresh tables through the system's own API ` +
    `(not timed; systems load side by side), then W1 with 1 worker (${s.w1Executions} executions) runs on ` +
    "top; slowdown = W1's median on fresh tables / W6's median" +
    overrides(s.w6Overrides),
  async setup(ctx: RunContext): Promise<Prepared> {
    const { settings } = ctx;
    const prepared = await ctx.prepare();
    const preload = w6Preload(settings, ctx.adapter.name);
    const started = performance.now();
    const workers = await ctx.launch(prepared, 1);
    await workers.group.go();
    for (const part of chunks(ctx.ids("load", preload), PRELOAD_CHUNK)) {
      await prepared.client.startMany(
        "three-steps",
        part.map((id) => ({ id })),
      );
    }
    await workers.collector.waitCount("d", preload, settings.timeoutMs * 10);
    await workers.group.stop();
    ctx.log(`loaded ${preload} executions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return prepared;
  },
  async run(ctx: RunContext, state?: unknown): Promise<Sample[]> {
    const prepared = state as Prepared;
    const rate = await measureThroughput(ctx, prepared, {
      kind: "three-steps",
      count: ctx.settings.w1Executions,
      workers: 1,
      prefix: `r${Date.now().toString(36)}`,
    });
    return [{ metric: "W6", unit: "executions/s", stat: "median", value: rate }];
  },
};
