import { setTimeout as sleep } from "node:timers/promises";
import { DurableScheduler, silentLogger, TaskRegistry, Worker } from "@zart/core";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { PostgresScheduler } from "../src/index.js";
import { COUNTER_STEPS, counterTask, createCounterSql } from "./support/counter-task.js";
import { printed, spawnScript } from "./support/processes.js";
import { type TestDatabase, truncate, useTestDatabase } from "./support/test-database.js";

/**
 * `ctx.transaction` through SIGKILLs of worker processes: a write made inside a body whose process
 * dies is never kept, and every body's write is applied exactly once (`ZART_TX_KILL_STEPS` steps,
 * default 100; CI-scale runs use 1000).
 */

let db: TestDatabase;
let scheduler: PostgresScheduler;
let s: string;

beforeAll(async () => {
  db = await useTestDatabase("txkill", inject("zartPostgresUrl"));
  s = db.schema;
  scheduler = new PostgresScheduler({ connectionString: db.url, schema: s, logger: silentLogger });
  await scheduler.migrate();
  await db.admin.query(createCounterSql(s));
});

beforeEach(async () => {
  await truncate(db.admin, s);
  await db.admin.query(`TRUNCATE "${s}".counter`);
});

afterAll(async () => {
  await scheduler?.close();
  await db?.dispose();
});

async function stepRows(executionId: string) {
  const { rows } = await db.admin.query(`SELECT name FROM "${s}".steps WHERE execution_id = $1`, [
    executionId,
  ]);
  return rows;
}

describe("ctx.transaction under SIGKILL", () => {
  const worker = (mode: "run" | "hang") =>
    spawnScript(new URL("./support/counter-worker.ts", import.meta.url), [db.url, s, mode]);

  async function counters() {
    const { rows } = await db.admin.query(`SELECT key, n FROM "${s}".counter ORDER BY key`);
    return rows as { key: string; n: number }[];
  }

  async function finish(durable: DurableScheduler, ids: string[]) {
    const registry = new TaskRegistry().register(counterTask({ schema: s, stepMs: 0 }));
    // The killed worker's leases (1 s) expire, then this worker takes its executions over.
    const finisher = new Worker({
      scheduler,
      registry,
      concurrency: 8,
      pollInterval: 100,
      logger: silentLogger,
    });
    await finisher.start();
    try {
      for (const id of ids) await durable.waitCompletion(id, { timeout: "60s" });
    } finally {
      await finisher.stop();
    }
  }

  it("leaves neither the write nor the step when the process dies inside the body", async () => {
    const durable = new DurableScheduler(scheduler);
    await durable.start("k1", "counter", null);
    const child = worker("hang");
    await printed(child, "inside k1");
    // The write is made, uncommitted: killed now.
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(await counters()).toEqual([]);
    expect(await stepRows("k1")).toEqual([]);
    await finish(durable, ["k1"]);
    expect((await counters()).map((c) => c.n)).toEqual(Array(COUNTER_STEPS).fill(1));
  });

  it("applies every transactional write exactly once through repeated SIGKILLs", async () => {
    const total = Number(process.env.ZART_TX_KILL_STEPS ?? 100);
    const ids = Array.from({ length: Math.ceil(total / COUNTER_STEPS) }, (_, i) => `c${i}`);
    const durable = new DurableScheduler(scheduler);
    for (const id of ids) await durable.start(id, "counter", null);
    for (let round = 0; round < 3; round++) {
      const child = worker("run");
      await printed(child, "ready");
      await sleep(300 + Math.random() * 400);
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    await finish(durable, ids);
    const all = await counters();
    expect(all).toHaveLength(ids.length * COUNTER_STEPS);
    expect(all.filter((c) => c.n !== 1)).toEqual([]);
  });
});
