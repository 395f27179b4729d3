import { delay } from "../harness/limit.js";
import { percentile } from "../stats.js";
import { EVENT_NAME, now } from "../tasks.js";
import type { RunContext, Sample, Workload } from "./types.js";

/** One sample slower than this fails the run (e.g. an event offered before the wait registered). */
const SAMPLE_TIMEOUT_MS = 30_000;

/**
 * W2: executions wait for an event; one at a time we offer it and time offer → the next step
 * starting. Executions are started in small batches and let settle first, so the system is idle.
 */
export const w2: Workload = {
  id: "W2",
  title: "W2 event latency",
  kinds: ["wait-event"],
  metrics: [
    { metric: "W2", label: "W2 event → next step", unit: "ms", stat: "p50", higherIsBetter: false },
    { metric: "W2", label: "W2 event → next step", unit: "ms", stat: "p99", higherIsBetter: false },
  ],
  describe: (s) =>
    `${s.w2Samples} samples, sequential on an idle system (batches of ${s.w2Batch} waiting executions, ` +
    `${s.settleMs} ms settle, ${s.gapMs} ms between samples); 1 worker process`,
  async run(ctx: RunContext): Promise<Sample[]> {
    const { settings } = ctx;
    const prepared = await ctx.prepare();
    const { group, collector } = await ctx.launch(prepared, 1);
    await group.go();
    const latencies: number[] = [];
    const ids = ctx.ids("w2", settings.w2Samples);
    for (let i = 0; i < ids.length; i += settings.w2Batch) {
      const batch = ids.slice(i, i + settings.w2Batch);
      await prepared.client.startMany(
        "wait-event",
        batch.map((id) => ({ id })),
      );
      await collector.waitUntil(
        () => batch.every((id) => collector.get("a", id)),
        settings.timeoutMs,
        () => `${batch.length} executions to reach their event wait`,
      );
      await delay(settings.settleMs);
      for (const id of batch) {
        const t0 = now();
        await prepared.client.signal(id, EVENT_NAME, { ok: true });
        const mark = await collector.waitMark("b", id, SAMPLE_TIMEOUT_MS);
        latencies.push(mark.t - t0);
        await delay(settings.gapMs);
      }
    }
    return [
      { metric: "W2", unit: "ms", stat: "p50", value: percentile(latencies, 50) },
      { metric: "W2", unit: "ms", stat: "p99", value: percentile(latencies, 99) },
    ];
  },
};
