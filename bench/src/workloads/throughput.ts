import { ratePerSecond } from "../stats.js";
import type { Prepared } from "../systems/types.js";
import type { TaskKind } from "../tasks.js";
import type { RunContext } from "./types.js";

export interface ThroughputOptions {
  kind: TaskKind;
  count: number;
  workers: number;
  prefix: string;
}

/**
 * Enqueues `count` executions with no worker running, then starts the workers and waits for every
 * execution's final mark. Returns executions per second over first → last completion.
 */
export async function measureThroughput(
  ctx: RunContext,
  prepared: Prepared,
  options: ThroughputOptions,
): Promise<number> {
  const inputs = ctx.ids(options.prefix, options.count).map((id) => ({ id }));
  await prepared.client.startMany(options.kind, inputs);
  const workers = await ctx.launch(prepared, options.workers);
  try {
    await workers.group.go();
    await workers.collector.waitCount("d", options.count, ctx.settings.timeoutMs);
    return ratePerSecond(workers.collector.all("d").map((m) => m.t));
  } finally {
    await workers.group.stop();
  }
}

/** "; fewer for slow systems: a 600, b 20" for per-system count overrides, or "". */
export function overrides(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length ? `; fewer for slow systems: ${entries.map(([k, v]) => `${k} ${v}`).join(", ")}` : "";
}
