import { w6Preload } from "../config.js";
import { chunks } from "../harness/limit.js";
import { vacuumDatabase } from "../harness/services.js";
import type { Prepared } from "../systems/types.js";
import { measureThroughput, overrides } from "./throughput.js";
import type { RunContext, Sample, Workload } from "./types.js";

const PRELOAD_CHUNK = 5000;
/** The storage slot holding the loaded history, separate from the fresh one. */
const SLOT = "w6";

/**
 * W6: W1 (one worker) on tables already holding many finished executions, against W1 on fresh
 * tables measured right before it in the same round (so both see the same machine load). Setup
 * loads the history through the system's own API (unmeasured, systems side by side) into its own
 * storage slot, which stays for every round. On Postgres systems the database is vacuumed after
 * every chunk of the load and before each measurement (see `vacuumDatabase`).
 */
export const w6: Workload = {
  id: "W6",
  title: "W6 scale",
  kinds: ["three-steps"],
  metrics: [
    { metric: "W6", label: "W6 W1 with history", unit: "executions/s", stat: "median", higherIsBetter: true },
    { metric: "W6", label: "W6 slowdown with history", unit: "×", stat: "median", higherIsBetter: false },
  ],
  describe: (s) =>
    `${s.w6Preload} finished 3-step executions are loaded through the system's own API into separate ` +
    "storage (not timed; systems load side by side; Postgres databases are vacuumed during the load and " +
    "before each measurement, as autovacuum is off on this server); each round runs W1 with 1 worker " +
    `(${s.w1Executions} executions) on fresh storage, then on the loaded one; slowdown = fresh rate / ` +
    "loaded rate, median over rounds" +
    overrides(s.w6Overrides),
  async setup(ctx: RunContext): Promise<Prepared> {
    const { settings } = ctx;
    const prepared = await ctx.prepare(SLOT);
    const preload = w6Preload(settings, ctx.adapter.name);
    const started = performance.now();
    const workers = await ctx.launch(prepared, 1);
    await workers.group.go();
    let loaded = 0;
    for (const part of chunks(ctx.ids("load", preload), PRELOAD_CHUNK)) {
      await prepared.client.startMany(
        "three-steps",
        part.map((id) => ({ id })),
      );
      loaded += part.length;
      await workers.collector.waitCount("d", loaded, settings.timeoutMs * 10);
      await maintain(prepared);
    }
    await workers.group.stop();
    ctx.log(`loaded ${preload} executions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return prepared;
  },
  async run(ctx: RunContext, state?: unknown): Promise<Sample[]> {
    const count = ctx.settings.w1Executions;
    const fresh = await ctx.prepare();
    const { rate: before } = await measureThroughput(ctx, fresh, {
      kind: "three-steps",
      count,
      workers: 1,
      prefix: "fresh",
    });
    await ctx.release(fresh);
    await maintain(state as Prepared);
    const { rate: after } = await measureThroughput(ctx, state as Prepared, {
      kind: "three-steps",
      count,
      workers: 1,
      prefix: `loaded-${Date.now().toString(36)}`,
    });
    return [
      { metric: "W6", unit: "executions/s", stat: "median", value: after },
      { metric: "W6", unit: "×", stat: "median", value: before / after },
    ];
  },
};

/** Vacuums a Postgres system's database (no-op for the others). */
async function maintain(prepared: Prepared): Promise<void> {
  if (prepared.env.pgUrl) await vacuumDatabase(prepared.env.pgUrl);
}
