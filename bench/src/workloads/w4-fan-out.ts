import { now } from "../tasks.js";
import type { RunContext, Sample, Workload } from "./types.js";

/** W4: one execution fans out `width` parallel no-op steps over two worker processes. */
export const w4: Workload = {
  id: "W4",
  title: "W4 fan-out",
  kinds: ["fan-out"],
  metrics: [
    { metric: "W4", label: "W4 fan-out wall time", unit: "ms", stat: "median", higherIsBetter: false },
  ],
  describe: (s) =>
    `one execution with ${s.w4Width} parallel no-op steps, then one step; 2 worker processes ` +
    `(in-process stores: 1 in-process worker); wall time from start to the last step`,
  async run(ctx: RunContext): Promise<Sample[]> {
    const prepared = await ctx.prepare();
    const { group, collector } = await ctx.launch(prepared, 2);
    await group.go();
    const [id] = ctx.ids("w4", 1) as [string];
    const t0 = now();
    await prepared.client.start("fan-out", { id, width: ctx.settings.w4Width });
    const mark = await collector.waitMark("d", id, ctx.settings.timeoutMs);
    return [{ metric: "W4", unit: "ms", stat: "median", value: mark.t - t0 }];
  },
};
