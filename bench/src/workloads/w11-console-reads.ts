import { randomBytes } from "node:crypto";
import { DurableScheduler, type Scheduler } from "@zart/core";
import { startServer } from "@zart/server";
import { percentile } from "../stats.js";
import { openZartScheduler } from "../systems/zart-adapter.js";
import { now } from "../tasks.js";
import type { RunContext, Sample, Workload } from "./types.js";

/** Rows per `startMany` while filling the store. */
const BATCH = 1000;
/** Every N-th execution is cancelled: the status the list filters on. */
const CANCEL_EVERY = 10;
const WARM_UP = 5;

/**
 * W11 (issue #16 item 5): the console's two reads through the HTTP server (`@zart/server`, in the
 * bench process, on loopback): the list of the newest 50 executions with a status filter out of a
 * large store (keyset-paginated, served by the status + created index), and the detail of one
 * execution with 1,000 steps. Times are fetch round trips, so they bound the server-side time.
 */
export const w11: Workload = {
  id: "W11",
  title: "W11 console reads (list and detail)",
  kinds: ["one-step"],
  systems: ["zart-postgres", "zart-sqlite"],
  metrics: [
    {
      metric: "W11-list",
      label: "W11 newest 50 with a status filter",
      unit: "ms",
      stat: "p50",
      higherIsBetter: false,
    },
    {
      metric: "W11-list",
      label: "W11 newest 50 with a status filter",
      unit: "ms",
      stat: "p99",
      higherIsBetter: false,
    },
    {
      metric: "W11-detail",
      label: "W11 execution with 1,000 steps",
      unit: "ms",
      stat: "p50",
      higherIsBetter: false,
    },
    {
      metric: "W11-detail",
      label: "W11 execution with 1,000 steps",
      unit: "ms",
      stat: "p99",
      higherIsBetter: false,
    },
  ],
  describe: (s) =>
    `${s.w11Rows} executions (1 in ${CANCEL_EVERY} cancelled), then ${s.w11Samples} sequential GET ` +
    "/api/v1/executions?status=cancelled&limit=50 and GET /api/v1/executions/{id} of an execution with " +
    `${s.w11Steps} steps, after ${WARM_UP} warm-up requests each; fetch round trips on loopback ` +
    "(issue #16 targets: list p50 ≤ 20 ms, detail ≤ 50 ms)",
  async run(ctx: RunContext): Promise<Sample[]> {
    const prepared = await ctx.prepare();
    const scheduler = await openZartScheduler(prepared.env);
    try {
      await scheduler.migrate();
      await fill(ctx, scheduler);
      const stepsId = await executionWithSteps(scheduler, ctx.settings.w11Steps);
      const token = randomBytes(16).toString("hex");
      const server = await startServer({ scheduler, port: 0, token });
      try {
        const time = async (path: string): Promise<number[]> => {
          const times: number[] = [];
          for (let i = 0; i < ctx.settings.w11Samples + WARM_UP; i++) {
            const t0 = now();
            const res = await fetch(`${server.url}${path}`, {
              headers: { authorization: `Bearer ${token}` },
            });
            const body = (await res.json()) as { executions?: unknown[]; steps?: unknown[] };
            if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(body)}`);
            if (i >= WARM_UP) times.push(now() - t0);
          }
          return times;
        };
        const list = await time("/api/v1/executions?status=cancelled&limit=50");
        const detail = await time(`/api/v1/executions/${stepsId}`);
        return [
          { metric: "W11-list", unit: "ms", stat: "p50", value: percentile(list, 50) },
          { metric: "W11-list", unit: "ms", stat: "p99", value: percentile(list, 99) },
          { metric: "W11-detail", unit: "ms", stat: "p50", value: percentile(detail, 50) },
          { metric: "W11-detail", unit: "ms", stat: "p99", value: percentile(detail, 99) },
        ];
      } finally {
        await server.close();
      }
    } finally {
      await scheduler.close();
    }
  },
};

/** `w11Rows` executions by batches, every `CANCEL_EVERY`-th cancelled (unmeasured). */
async function fill(ctx: RunContext, scheduler: Scheduler): Promise<void> {
  const durable = new DurableScheduler(scheduler);
  const ids = ctx.ids("w11", ctx.settings.w11Rows);
  for (let i = 0; i < ids.length; i += BATCH) {
    await durable.startMany(
      ids.slice(i, i + BATCH).map((id) => ({ executionId: id, taskName: "w11", data: { id } })),
    );
  }
  const doomed = ids.filter((_, i) => i % CANCEL_EVERY === 0);
  for (let i = 0; i < doomed.length; i += 16) {
    await Promise.all(doomed.slice(i, i + 16).map((id) => scheduler.cancelExecution(id, new Date())));
  }
  ctx.log(`W11: ${ids.length} executions, ${doomed.length} cancelled`);
}

/** One execution holding `count` completed steps, written through a lease (unmeasured). */
async function executionWithSteps(scheduler: Scheduler, count: number): Promise<string> {
  const executionId = `w11-steps-${randomBytes(4).toString("hex")}`;
  const at = new Date();
  await scheduler.createExecution({ executionId, taskName: "w11-steps", payload: "{}", runAt: at }, at);
  const [work] = await scheduler.claim({
    workerId: "w11",
    taskNames: ["w11-steps"],
    limit: 1,
    leaseMs: 600_000,
    now: new Date(),
  });
  if (!work) throw new Error("W11: could not claim the execution to fill with steps");
  for (let position = 0; position < count; position++) {
    await scheduler.saveStep(
      work.lease,
      {
        position,
        name: `step-${position}`,
        kind: "step",
        status: "completed",
        result: JSON.stringify({ position }),
        attempts: 1,
      },
      {},
      new Date(),
    );
  }
  return executionId;
}
