import { countAppRows } from "../systems/app-table.js";
import type { AppWriteKind } from "../tasks.js";
import { costSamples } from "./cost.js";
import { measureThroughput } from "./throughput.js";
import type { RunContext, Sample, Workload } from "./types.js";

/**
 * W9 (issue #15): executions writing one row into an application table in the system's own
 * database: in a transactional step (`ctx.transaction` on Zart, a transaction on a DBOS data
 * source), whose row commits with the step's checkpoint, against a plain step whose body writes
 * through the application's own connection (two commits, at-least-once). Each variant on fresh
 * storage; the table must hold exactly one row per execution afterwards.
 */
export const w9: Workload = {
  id: "W9",
  title: "W9 transactional step",
  kinds: ["tx-write", "step-write"],
  metrics: [
    {
      metric: "W9",
      label: "W9 one transactional step writing an app row",
      unit: "executions/s",
      stat: "median",
      higherIsBetter: true,
    },
    {
      metric: "W9-step",
      label: "W9 one step + the write on the app's connection",
      unit: "executions/s",
      stat: "median",
      higherIsBetter: true,
    },
  ],
  describe: (s) =>
    `${s.w1Executions} one-step executions enqueued before 1 worker process (concurrency ` +
    `${s.concurrency}) starts, each inserting one row into an application table in the system's ` +
    "database: W9 in a transactional step (Zart `ctx.transaction` with the store's database; DBOS: a " +
    "transaction on a pg data source), W9-step in a plain step (`ctx.step`, `DBOS.runStep`) writing " +
    "through the application's own connection; each on fresh storage, checked to leave exactly one " +
    "row per execution; cost (commits/execution: Postgres systems) measured on both",
  async run(ctx: RunContext): Promise<Sample[]> {
    const count = ctx.settings.w1Executions;
    const measure = async (metric: string, kind: AppWriteKind): Promise<Sample[]> => {
      const prepared = await ctx.prepare();
      const { rate, cost } = await measureThroughput(ctx, prepared, {
        kind,
        count,
        workers: 1,
        prefix: kind,
        meter: true,
      });
      const rows = await countAppRows(prepared.env);
      if (rows !== count) throw new Error(`${kind}: ${rows} app rows after ${count} executions`);
      return [
        { metric, unit: "executions/s", stat: "median", value: rate },
        ...(cost ? costSamples(metric, cost, count) : []),
      ];
    };
    return [...(await measure("W9", "tx-write")), ...(await measure("W9-step", "step-write"))];
  },
};
