import { now } from "../tasks.js";
import type { RunContext, Sample, Workload } from "./types.js";

const STEPS = 3;

/** W7: parents that each invoke `w7Children` child executions of three no-op steps. */
export const w7: Workload = {
  id: "W7",
  title: "W7 child executions",
  kinds: ["children"],
  metrics: [
    {
      metric: "W7",
      label: "W7 child executions, wall time",
      unit: "ms",
      stat: "median",
      higherIsBetter: false,
    },
    {
      metric: "W7",
      label: "W7 child executions, rate",
      unit: "executions/s",
      stat: "median",
      higherIsBetter: true,
    },
  ],
  describe: (s) =>
    `${s.w7Parents} parent executions each starting ${s.w7Children} child executions of ${STEPS} no-op ` +
    "steps and waiting for all of them, then one step; 1 worker process; wall time from the first " +
    "start to the last parent's final step; rate = parents and children executed per second",
  async run(ctx: RunContext): Promise<Sample[]> {
    const prepared = await ctx.prepare();
    const { group, collector } = await ctx.launch(prepared, 1);
    await group.go();
    const parents = ctx.ids("w7", ctx.settings.w7Parents);
    const t0 = now();
    await prepared.client.startMany(
      "children",
      parents.map((id) => ({ id, width: ctx.settings.w7Children })),
    );
    await collector.waitCount("d", parents.length, ctx.settings.timeoutMs);
    const wall = Math.max(...collector.all("d").map((mark) => mark.t)) - t0;
    const executions = parents.length * (1 + ctx.settings.w7Children);
    return [
      { metric: "W7", unit: "ms", stat: "median", value: wall },
      { metric: "W7", unit: "executions/s", stat: "median", value: executions / (wall / 1000) },
    ];
  },
};
