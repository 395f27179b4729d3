import { setTimeout as sleep } from "node:timers/promises";
import {
  DurableScheduler,
  defineTask,
  LeaseLostError,
  ManualClock,
  RetryConfig,
  silentLogger,
  TaskRegistry,
  Worker,
} from "@zart/core";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { PostgresScheduler } from "../src/index.js";
import { createCounterSql } from "./support/counter-task.js";
import { type TestDatabase, truncate, useTestDatabase } from "./support/test-database.js";

/** `ctx.transaction`: the body's writes and the step row commit together or not at all. */

let db: TestDatabase;
let scheduler: PostgresScheduler;
let s: string;

beforeAll(async () => {
  db = await useTestDatabase("txsteps", inject("zartPostgresUrl"));
  s = db.schema;
  scheduler = new PostgresScheduler({ connectionString: db.url, schema: s, logger: silentLogger });
  await scheduler.migrate();
  await db.admin.query(`CREATE TABLE "${s}".orders (id text PRIMARY KEY, attempt int NOT NULL)`);
  await db.admin.query(createCounterSql(s));
});

beforeEach(async () => {
  await truncate(db.admin, s);
  await db.admin.query(`TRUNCATE "${s}".orders, "${s}".counter`);
});

afterAll(async () => {
  await scheduler?.close();
  await db?.dispose();
});

async function orders(): Promise<string[]> {
  return (await db.admin.query(`SELECT id FROM "${s}".orders ORDER BY id`)).rows.map((row) => row.id);
}

async function stepRows(executionId: string) {
  const { rows } = await db.admin.query(
    `SELECT name, kind, status, result FROM "${s}".steps WHERE execution_id = $1 ORDER BY position`,
    [executionId],
  );
  return rows;
}

function run(store: PostgresScheduler, registry: TaskRegistry) {
  return new Worker({ scheduler: store, registry, pollInterval: "1h", logger: silentLogger }).runUntilIdle();
}

describe("ctx.transaction on Postgres", () => {
  it("commits the body's write and the step row together; a replay returns the stored result", async () => {
    let bodies = 0;
    const task = defineTask({
      name: "order",
      async run(ctx) {
        const placed = await ctx.transaction("place", async (tx: pg.PoolClient) => {
          bodies++;
          await tx.query(`INSERT INTO "${s}".orders VALUES ($1, $2)`, [ctx.executionId, ctx.attempt]);
          return { placed: ctx.executionId };
        });
        await ctx.waitForEvent("go");
        return placed;
      },
    });
    const registry = new TaskRegistry().register(task);
    const durable = new DurableScheduler(scheduler, { registry });
    await durable.start("o1", "order", null);
    await run(scheduler, registry);
    expect(await orders()).toEqual(["o1"]);
    expect(await stepRows("o1")).toEqual([
      { name: "place", kind: "transaction", status: "completed", result: '{"placed":"o1"}' },
      expect.objectContaining({ kind: "event", status: "waiting" }),
    ]);
    await durable.offerEvent("o1", "go", null);
    await run(scheduler, registry);
    expect(await durable.status("o1")).toMatchObject({ status: "completed", result: { placed: "o1" } });
    expect(bodies).toBe(1);
    expect(await orders()).toEqual(["o1"]);
  });

  it("rolls back the body's write when it throws; the step is retried per its policy", async () => {
    let bodies = 0;
    const task = defineTask({
      name: "flaky",
      async run(ctx) {
        return ctx.transaction(
          "place",
          async (tx: pg.PoolClient) => {
            bodies++;
            await tx.query(`INSERT INTO "${s}".orders VALUES ($1, $2)`, [`${ctx.executionId}-${bodies}`, 0]);
            if (bodies === 1) throw new Error("payment service said no");
            return bodies;
          },
          { retry: RetryConfig.fixed(1, 0) },
        );
      },
    });
    const registry = new TaskRegistry().register(task);
    const durable = new DurableScheduler(scheduler, { registry });
    await durable.start("f1", "flaky", null);
    await run(scheduler, registry);
    expect(await durable.status("f1")).toMatchObject({ status: "completed", result: 2 });
    // Only the second attempt's write is there.
    expect(await orders()).toEqual(["f1-2"]);
    expect(await stepRows("f1")).toEqual([
      { name: "place", kind: "transaction", status: "completed", result: "2" },
    ]);
  });

  it("records the failure without the body's write once the retries are spent", async () => {
    const task = defineTask({
      name: "broken",
      async run(ctx) {
        return ctx.transaction("place", async (tx: pg.PoolClient) => {
          await tx.query(`INSERT INTO "${s}".orders VALUES ($1, 0)`, [ctx.executionId]);
          throw new Error("no");
        });
      },
    });
    const registry = new TaskRegistry().register(task);
    const durable = new DurableScheduler(scheduler, { registry });
    await durable.start("b1", "broken", null);
    await run(scheduler, registry);
    expect(await durable.status("b1")).toMatchObject({ status: "failed" });
    expect(await orders()).toEqual([]);
    expect(await stepRows("b1")).toEqual([
      expect.objectContaining({ kind: "transaction", status: "failed" }),
    ]);
  });

  it("rolls back the body's write when the lease is lost during the body (fence checked before COMMIT)", async () => {
    let reached = false;
    const task = defineTask({
      name: "stolen",
      async run(ctx) {
        return ctx.transaction("place", async (tx: pg.PoolClient) => {
          // Another worker takes the execution over while this body runs.
          await db.admin.query(`UPDATE "${s}".executions SET lease_token = 'other' WHERE execution_id = $1`, [
            ctx.executionId,
          ]);
          await tx.query(`INSERT INTO "${s}".orders VALUES ($1, 0)`, [ctx.executionId]);
          reached = true;
          return "placed";
        });
      },
    });
    const registry = new TaskRegistry().register(task);
    const durable = new DurableScheduler(scheduler, { registry });
    await durable.start("l1", "stolen", null);
    await run(scheduler, registry);
    expect(reached).toBe(true);
    expect(await orders()).toEqual([]);
    expect(await stepRows("l1")).toEqual([]);
    expect(await durable.status("l1")).toMatchObject({ status: "running" });
  });

  it("refuses a stale lease at the store: LeaseLostError, nothing of the body kept", async () => {
    const clock = new ManualClock(new Date("2026-01-01T00:00:00Z"));
    const store = new PostgresScheduler({ connectionString: db.url, schema: s, clock, logger: silentLogger });
    try {
      await store.createExecution(
        { executionId: "s1", taskName: "t", payload: "null", runAt: clock.now() },
        clock.now(),
      );
      const claim = () =>
        store.claim({ workerId: "w", taskNames: ["t"], limit: 1, leaseMs: 1000, now: clock.now() });
      const [first] = await claim();
      clock.advance(5000);
      expect(await claim()).toHaveLength(1);
      const error = await store
        .runTransactionalStep(
          first!.lease,
          {
            body: async (tx) => {
              await (tx as pg.PoolClient).query(`INSERT INTO "${s}".orders VALUES ('s1', 0)`);
              return 1;
            },
            complete: () => ({
              position: 0,
              name: "x",
              kind: "transaction",
              status: "completed",
              result: "1",
              attempts: 1,
            }),
          },
          {},
          clock.now(),
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LeaseLostError);
      expect(await orders()).toEqual([]);
      expect(await stepRows("s1")).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("retries serialization failures: concurrent serializable read-modify-writes apply each once", async () => {
    await db.admin.query(`INSERT INTO "${s}".counter VALUES ('total', 0)`);
    const task = defineTask({
      name: "add",
      async run(ctx) {
        return ctx.transaction(
          "add",
          async (tx: pg.PoolClient) => {
            const { rows } = await tx.query(`SELECT n FROM "${s}".counter WHERE key = 'total'`);
            await sleep(20);
            await tx.query(`UPDATE "${s}".counter SET n = $1 WHERE key = 'total'`, [rows[0].n + 1]);
            return rows[0].n + 1;
          },
          { isolation: "serializable" },
        );
      },
    });
    const registry = new TaskRegistry().register(task);
    const durable = new DurableScheduler(scheduler, { registry });
    for (const id of ["a1", "a2", "a3"]) await durable.start(id, "add", null);
    await new Worker({
      scheduler,
      registry,
      concurrency: 3,
      pollInterval: "1h",
      logger: silentLogger,
    }).runUntilIdle();
    for (const id of ["a1", "a2", "a3"])
      expect(await durable.status(id)).toMatchObject({ status: "completed" });
    const { rows } = await db.admin.query(`SELECT n FROM "${s}".counter WHERE key = 'total'`);
    expect(rows[0].n).toBe(3);
  });

  it("gives a drizzle transaction as tx when the store is given a drizzle instance", async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const orm = drizzle(pool);
    const store = new PostgresScheduler({ pool, schema: s, transactionDatabase: orm, logger: silentLogger });
    try {
      const task = defineTask({
        name: "orm",
        async run(ctx) {
          return ctx.transaction(
            "place",
            async (tx: Parameters<Parameters<typeof orm.transaction>[0]>[0]) => {
              await tx.execute(`INSERT INTO "${s}".orders VALUES ('${ctx.executionId}', 0)`);
              return "ok";
            },
          );
        },
      });
      const registry = new TaskRegistry().register(task);
      await new DurableScheduler(store, { registry }).start("d1", "orm", null);
      await run(store, registry);
      expect(await orders()).toEqual(["d1"]);
      expect(await stepRows("d1")).toEqual([
        { name: "place", kind: "transaction", status: "completed", result: '"ok"' },
      ]);
    } finally {
      await store.close();
      await pool.end();
    }
  });
});

describe("ctx.transaction on a transactionDatabase that is not the store's database", () => {
  it("fails the step with InvalidTransactionError naming the problem, without retrying it", async () => {
    const other = new URL(db.url);
    other.pathname = "/postgres";
    const pool = new pg.Pool({ connectionString: other.toString(), max: 1 });
    const store = new PostgresScheduler({
      connectionString: db.url,
      schema: s,
      transactionDatabase: pool,
      logger: silentLogger,
    });
    try {
      let bodies = 0;
      const task = defineTask({
        name: "elsewhere",
        async run(ctx) {
          return ctx.transaction(
            "place",
            async (tx: pg.PoolClient) => {
              bodies++;
              await tx.query("SELECT 1");
            },
            { retry: RetryConfig.fixed(3, 0) },
          );
        },
      });
      const registry = new TaskRegistry().register(task);
      const durable = new DurableScheduler(store, { registry });
      await durable.start("e1", "elsewhere", null);
      await run(store, registry);
      const status = await durable.status("e1");
      expect(status.status).toBe("failed");
      expect(JSON.stringify(status.error)).toMatch(/INVALID_TRANSACTION|store's own database/);
      expect(bodies).toBe(1);
      expect(await stepRows("e1")).toEqual([
        expect.objectContaining({ kind: "transaction", status: "failed" }),
      ]);
    } finally {
      await store.close();
      await pool.end();
    }
  });
});
