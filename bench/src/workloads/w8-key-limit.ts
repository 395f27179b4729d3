import { KEY_LIMIT } from "../tasks.js";
import { costSamples } from "./cost.js";
import { measureThroughput } from "./throughput.js";
import type { RunContext, Sample, Workload } from "./types.js";

/** Keys the executions are spread over, round-robin. */
const KEYS = 100;

/**
 * W8 (issue #14): W1 with a per-key concurrency limit on the task (`concurrency: { limit, key }`
 * on Zart, a partitioned queue on DBOS), against W1 without it measured just before in the same
 * run, so the ratio says what the limit costs on that system.
 */
export const w8: Workload = {
  id: "W8",
  title: "W8 per-key concurrency limit",
  kinds: ["three-steps", "keyed-three-steps"],
  metrics: [
    {
      metric: "W8",
      label: "W8 3 steps under a per-key limit",
      unit: "executions/s",
      stat: "median",
      higherIsBetter: true,
    },
    {
      metric: "W8",
      label: "W8 rate / unlimited W1 rate",
      unit: "×",
      stat: "median",
      higherIsBetter: true,
    },
  ],
  describe: (s) =>
    `${s.w1Executions} executions of 3 no-op steps of a task limited to ${KEY_LIMIT} running executions ` +
    `per key, fleet-wide, keys spread round-robin over ${KEYS}; enqueued before 1 worker process ` +
    `(concurrency ${s.concurrency}) starts; ratio = that rate / the rate of the same executions ` +
    "without the limit (W1, 1 worker) measured just before in the same run (issue #14 target: ≥ 0.70 " +
    "on zart-postgres); cost measured on the limited run",
  async run(ctx: RunContext): Promise<Sample[]> {
    const count = ctx.settings.w1Executions;
    const plain = await ctx.prepare();
    const unlimited = await measureThroughput(ctx, plain, {
      kind: "three-steps",
      count,
      workers: 1,
      prefix: "w8u",
    });
    await ctx.release(plain);
    const keyed = await ctx.prepare();
    const { rate, cost } = await measureThroughput(ctx, keyed, {
      kind: "keyed-three-steps",
      count,
      workers: 1,
      prefix: "w8k",
      input: (id, index) => ({ id, key: `k${index % KEYS}` }),
      meter: true,
    });
    return [
      { metric: "W8", unit: "executions/s", stat: "median", value: rate },
      { metric: "W8", unit: "×", stat: "median", value: rate / unlimited.rate },
      ...(cost ? costSamples("W8", cost, count) : []),
    ];
  },
};
