import {
  DurableScheduler,
  defineTask,
  InvalidTransactionError,
  silentLogger,
  TaskRegistry,
  Worker,
} from "@zart/core";
import type { WakeUp } from "@zart/core/store";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { PostgresScheduler } from "../src/index.js";
import { type TestDatabase, useTestDatabase } from "./support/test-database.js";

/** `start(..., { transaction })`: the execution and its wake-up exist iff the caller commits. */

let db: TestDatabase;
let scheduler: PostgresScheduler;
let app: pg.Pool;
const task = defineTask({ name: "ship", run: async (_ctx, data: { order: number }) => data.order });
const registry = new TaskRegistry().register(task);

beforeAll(async () => {
  db = await useTestDatabase("txstart", inject("zartPostgresUrl"));
  scheduler = new PostgresScheduler({ connectionString: db.url, schema: db.schema, logger: silentLogger });
  await scheduler.migrate();
  app = new pg.Pool({ connectionString: db.url, max: 2 });
  await app.query(`CREATE TABLE ${db.schema}.orders (id int PRIMARY KEY)`);
  // Keep the store's LISTEN connection up for the whole file, so no test's NOTIFY is missed.
  scheduler.subscribe(() => undefined);
  const listening = `LISTEN "${db.schema}_wake"`;
  while (
    (await db.admin.query("SELECT 1 FROM pg_stat_activity WHERE query = $1", [listening])).rowCount === 0
  ) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
});

afterEach(async () => {
  await app.query(`DELETE FROM ${db.schema}.orders`);
});

afterAll(async () => {
  await app?.end();
  await scheduler?.close();
  await db?.dispose();
});

let counter = 0;
const id = () => `tx${++counter}`;

/** Runs `body` on one client inside BEGIN, then COMMIT or ROLLBACK. */
async function inTransaction(end: "COMMIT" | "ROLLBACK", body: (client: pg.PoolClient) => Promise<void>) {
  const client = await app.connect();
  try {
    await client.query("BEGIN");
    await body(client);
    await client.query(end);
  } finally {
    client.release();
  }
}

/** Resolves with the first `created` wake-up for `executionId`, recording every one seen. */
function nextCreated(seen: WakeUp[], executionId: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = scheduler.subscribe((wake) => {
      seen.push(wake);
      if (wake.executionId === executionId) {
        stop();
        resolve();
      }
    });
  });
}

describe("start(..., { transaction }) on Postgres", () => {
  const durable = () => new DurableScheduler(scheduler, { registry });

  it("commits with the caller: invisible before COMMIT, then visible, pushed and claimable", async () => {
    const executionId = id();
    const seen: WakeUp[] = [];
    const woken = nextCreated(seen, executionId);
    await inTransaction("COMMIT", async (client) => {
      await client.query(`INSERT INTO ${db.schema}.orders VALUES (1)`);
      const started = await durable().start(executionId, "ship", { order: 1 }, { transaction: client });
      expect(started.status).toBe("pending");
      expect(await scheduler.getExecution(executionId)).toBeUndefined();
      expect(seen).toEqual([]);
    });
    await woken;
    expect(seen).toEqual([{ reason: "created", executionId }]);
    const worker = new Worker({ scheduler, registry, pollInterval: "1h", logger: silentLogger });
    await worker.runUntilIdle();
    expect(await durable().status(executionId)).toMatchObject({ status: "completed", result: 1 });
  });

  it("rolls back with the caller: no execution and no wake-up", async () => {
    const rolledBack = id();
    const committed = id();
    const seen: WakeUp[] = [];
    const woken = nextCreated(seen, committed);
    await inTransaction("ROLLBACK", async (client) => {
      await client.query(`INSERT INTO ${db.schema}.orders VALUES (2)`);
      await durable().start(rolledBack, "ship", { order: 2 }, { transaction: client });
    });
    // Notifications arrive in commit order: once the later commit's is here, the rolled-back one never will.
    await inTransaction("COMMIT", async (client) => {
      await durable().start(committed, "ship", { order: 3 }, { transaction: client });
    });
    await woken;
    expect(seen).toEqual([{ reason: "created", executionId: committed }]);
    expect(await scheduler.getExecution(rolledBack)).toBeUndefined();
    expect((await app.query(`SELECT id FROM ${db.schema}.orders`)).rows).toEqual([]);
  });

  it("leaves the caller's transaction usable when the start fails (execution already running)", async () => {
    const executionId = id();
    await durable().start(executionId, "ship", { order: 4 });
    await inTransaction("COMMIT", async (client) => {
      await expect(
        durable().start(executionId, "ship", { order: 4 }, { transaction: client }),
      ).rejects.toMatchObject({
        code: "EXECUTION_ALREADY_EXISTS",
      });
      await client.query(`INSERT INTO ${db.schema}.orders VALUES (4)`);
    });
    expect((await app.query(`SELECT id FROM ${db.schema}.orders`)).rows).toEqual([{ id: 4 }]);
  });

  it.each([
    ["a pool", () => app, /Pool was given/],
    ["something else", () => ({ not: "a client" }), /expected a pg client/],
  ])("refuses %s with InvalidTransactionError, persisting nothing", async (_what, handle, message) => {
    const executionId = id();
    const error = await durable()
      .start(executionId, "ship", { order: 5 }, { transaction: handle() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTransactionError);
    expect((error as Error).message).toMatch(message);
    expect(await scheduler.getExecution(executionId)).toBeUndefined();
  });

  it("refuses a client outside BEGIN, and one whose transaction failed, persisting nothing", async () => {
    const executionId = id();
    const client = await app.connect();
    try {
      await expect(
        durable().start(executionId, "ship", { order: 6 }, { transaction: client }),
      ).rejects.toThrow(/not inside BEGIN/);
      await client.query("BEGIN");
      await client.query("SELECT 1/0").catch(() => undefined);
      await expect(
        durable().start(executionId, "ship", { order: 6 }, { transaction: client }),
      ).rejects.toThrow(InvalidTransactionError);
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    expect(await scheduler.getExecution(executionId)).toBeUndefined();
  });
});
