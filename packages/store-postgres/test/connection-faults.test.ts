import { setTimeout as sleep } from "node:timers/promises";
import {
  DurableScheduler,
  type Scheduler,
  StoreUnavailableError,
  silentLogger,
  TaskRegistry,
  Worker,
} from "@zart/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresScheduler } from "../src/index.js";
import { chainTask, expectedChain, type StepRun } from "./support/chain-task.js";
import { type EmbeddedServer, startEmbeddedPostgres } from "./support/embedded-postgres.js";
import { FlakyPool } from "./support/flaky-pool.js";

/**
 * Connection faults against a PostgreSQL of our own (embedded, its own port and data dir), which
 * this file stops and starts: never the shared server.
 */

let server: EmbeddedServer;

beforeAll(async () => {
  server = await startEmbeddedPostgres();
}, 120_000);

afterAll(async () => {
  await server?.destroy();
});

const STEPS = 5;

/** Runs `count` chains on `workers` and checks every result and the ledger of step runs. */
async function runChains(
  schedulers: Scheduler[],
  count: number,
  during: (progress: () => Promise<number>) => Promise<void>,
): Promise<{ runs: StepRun[]; extraRuns: number }> {
  const runs: StepRun[] = [];
  const task = chainTask({ steps: STEPS, stepMs: 40, onRun: (run) => runs.push(run) });
  const registry = new TaskRegistry().register(task);
  const workers = schedulers.map(
    (scheduler) =>
      new Worker({
        scheduler,
        registry,
        concurrency: 8,
        pollInterval: 100,
        leaseDuration: "2s",
        logger: silentLogger,
      }),
  );
  const client = new DurableScheduler(schedulers[0]!, { registry });
  const ids = Array.from({ length: count }, (_, i) => `c${i}`);
  for (const [i, id] of ids.entries()) await client.start(id, "chain", i);
  await Promise.all(workers.map((worker) => worker.start()));
  try {
    const completed = async () =>
      (await schedulers[0]!.listExecutions({ status: "completed", limit: 10_000, offset: 0 })).length;
    await during(completed);
    const giveUp = Date.now() + 60_000;
    while ((await completed()) < count) {
      if (Date.now() > giveUp)
        throw new Error(`executions did not all complete: ${await stuck(schedulers[0]!)}`);
      await sleep(100);
    }
  } finally {
    await stopAll(workers, schedulers[0]!);
  }
  const all = await schedulers[0]!.listExecutions({ limit: 10_000, offset: 0 });
  expect(all).toHaveLength(count);
  for (const { execution, steps } of all) {
    const n = Number(execution.executionId.slice(1));
    expect(execution.status).toBe("completed");
    expect(execution.result).toBe(String(expectedChain(n, STEPS)));
    expect(steps.map((s) => [s.name, s.status])).toEqual(
      Array.from({ length: STEPS }, (_, i) => [`s${i}`, "completed"]),
    );
    // No step ran again after its result was persisted.
    for (const step of steps) {
      const bodyRuns = runs.filter(
        (r) => r.executionId === execution.executionId && r.step === step.position,
      );
      expect(bodyRuns.length).toBeGreaterThanOrEqual(1);
      for (const run of bodyRuns) expect(run.startedAt).toBeLessThanOrEqual(step.completedAt!.getTime());
    }
  }
  return { runs, extraRuns: runs.length - count * STEPS };
}

/** The executions that are not completed, for a failure message. */
async function stuck(scheduler: Scheduler): Promise<string> {
  const all = await scheduler.listExecutions({ limit: 10_000, offset: 0 });
  const rows = all.filter((d) => d.execution.status !== "completed");
  return JSON.stringify(
    rows.slice(0, 10).map((d) => ({ ...d.execution, steps: d.steps.map((x) => x.status) })),
  );
}

/**
 * Stops the workers gracefully (every execution is done by now), failing with the stuck state
 * after 10 s instead of hanging. (A non-graceful stop can hang in the engine when a run was parked
 * by its heartbeat while its final write was still being retried: `Worker#stop` awaits
 * `RunState.write`, which never settles for a parked run.)
 */
async function stopAll(workers: Worker[], scheduler: Scheduler): Promise<void> {
  const stopped = Promise.all(workers.map((worker) => worker.stop()));
  if ((await Promise.race([stopped.then(() => true), sleep(10_000).then(() => false)])) === false) {
    const active = workers.map((worker) => worker.activeCount);
    throw new Error(`workers did not stop (active runs: ${active}): ${await stuck(scheduler)}`);
  }
}

describe("connection faults", () => {
  it("loses and doubles nothing when writes commit but the caller hears a dropped connection", async () => {
    const schema = "flaky";
    // Every 4th batch of step writes and completions, every 4th heartbeat and every 15th claim
    // "drops the connection".
    const every: Record<string, number> = {
      [`${schema}:fenced-writes`]: 4,
      [`${schema}:renew-execution`]: 4,
      [`${schema}:claim`]: 15,
    };
    const pool = new FlakyPool({ connectionString: server.url, max: 8 }, (name) => every[name]);
    const scheduler = new PostgresScheduler({ pool, schema, logger: silentLogger, timeSource: "local" });
    try {
      await scheduler.migrate();
      const { extraRuns } = await runChains([scheduler], 40, async () => {});
      expect([...pool.faults.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
      // A save-step retried after an unknown outcome re-writes the same row: no step body re-runs
      // for it. Only a lost claim or a dropped completion can cost a re-run, never a double write.
      expect(extraRuns).toBeLessThanOrEqual((pool.faults.get(`${schema}:claim`) ?? 0) * 8);
    } finally {
      await scheduler.close();
      await pool.end();
    }
  }, 90_000);

  it("finishes every execution when PostgreSQL restarts mid-run", async () => {
    const schema = "restart";
    const options = {
      connectionString: server.url,
      schema,
      logger: silentLogger,
      retryWindow: "3s" as const,
      // The ledger compares step start times (Date.now()) with stored completion times.
      timeSource: "local" as const,
    };
    const schedulers = [new PostgresScheduler(options), new PostgresScheduler(options)];
    try {
      await schedulers[0]!.migrate();
      let stoppedWith = 0;
      const { extraRuns } = await runChains(schedulers, 60, async (completed) => {
        while ((await completed()) < 10) await sleep(20);
        await server.stop();
        // While it is down, every verb fails with StoreUnavailableError.
        await expect(schedulers[0]!.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(schedulers[1]!.getExecution("c1")).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(
          schedulers[1]!.claim({
            workerId: "x",
            taskNames: ["t"],
            limit: 1,
            leaseMs: 1_000,
            now: new Date(),
          }),
        ).rejects.toBeInstanceOf(StoreUnavailableError);
        await sleep(1_500);
        await server.start();
        stoppedWith = await completed();
      });
      expect(stoppedWith).toBeLessThan(60);
      // Only the steps in flight when the server stopped may run again (2 workers × 8 slots).
      expect(extraRuns).toBeLessThanOrEqual(16);
    } finally {
      for (const scheduler of schedulers) await scheduler.close();
    }
  }, 120_000);
});
