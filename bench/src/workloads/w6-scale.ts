import { w6Preload } from "../config.js";
import { chunks } from "../harness/limit.js";
import { median } from "../stats.js";
import { measureThroughput, overrides } from "./throughput.js";
import type { RunContext, Sample, Workload } from "./types.js";

const PRELOAD_CHUNK = 5000;

/**
 * W6: W1 (one worker) on fresh tables, then again after loading many finished executions into the
 * same tables → slowdown = rate before / rate after. Repeats internally (the load is done once).
 */
export const w6: Workload = {
  id: "W6",
  title: "W6 scale",
  kinds: ["three-steps"],
  repeatsInternally: true,
  metrics: [
    { metric: "W6", label: "W6 W1 slowdown with history", unit: "×", stat: "median", higherIsBetter: false },
    { metric: "W6", label: "W6 W1 with history", unit: "executions/s", stat: "median", higherIsBetter: true },
  ],
  describe: (s) =>
    `${s.w6Preload} finished 3-step executions are loaded into fresh tables (through the system's own API), ` +
    `then W1 (1 worker, ${s.w1Executions} executions) runs ×${s.runs}; slowdown = W1's median on fresh ` +
    "tables (from W1 in the same session, else measured first) / the median with the history" +
    overrides(s.w6Overrides),
  async run(ctx: RunContext): Promise<Sample[]> {
    const { settings } = ctx;
    const count = settings.w1Executions;
    const prepared = await ctx.prepare();
    const before: number[] = [];
    for (let r = 0; r < settings.runs; r++) {
      before.push(
        await measureThroughput(ctx, prepared, { kind: "three-steps", count, workers: 1, prefix: `b${r}` }),
      );
    }
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
    const after: number[] = [];
    for (let r = 0; r < settings.runs; r++) {
      after.push(
        await measureThroughput(ctx, prepared, { kind: "three-steps", count, workers: 1, prefix: `a${r}` }),
      );
    }
    return [
      { metric: "W6", unit: "×", stat: "median", value: median(before) / median(after) },
      { metric: "W6", unit: "executions/s", stat: "median", value: median(after) },
    ];
  },
};
