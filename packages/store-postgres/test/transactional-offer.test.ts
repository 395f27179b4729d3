import { DurableScheduler, defineTask, silentLogger, TaskRegistry, Worker } from "@zart/core";
import type { WakeUp } from "@zart/core/store";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PostgresScheduler } from "../src/index.js";
import { type TestDatabase, useTestDatabase } from "./support/test-database.js";

/** `offerEvent(..., { transaction })`: the event (and any execution it starts) exists iff the caller commits. */

let db: TestDatabase;
let scheduler: PostgresScheduler;
let app: pg.Pool;
const task = defineTask({
  name: "ship",
  run: async (ctx, data: { order: number }) => ({ order: data.order, go: await ctx.waitForEvent("go") }),
});
const registry = new TaskRegistry().register(task);
const durable = () => new DurableScheduler(scheduler, { registry });

beforeAll(async () => {
  db = await useTestDatabase("txoffer", inject("zartPostgresUrl"));
  scheduler = new PostgresScheduler({ connectionString: db.url, schema: db.schema, logger: silentLogger });
  await scheduler.migrate();
  app = new pg.Pool({ connectionString: db.url, max: 2 });
  // Keep the store's LISTEN connection up for the whole file, so no test's NOTIFY is missed.
  scheduler.subscribe(() => undefined);
  const listening = `LISTEN "${db.schema}_wake"`;
  while (
    (await db.admin.query("SELECT 1 FROM pg_stat_activity WHERE query = $1", [listening])).rowCount === 0
  ) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
});

afterAll(async () => {
  await app?.end();
  await scheduler?.close();
  await db?.dispose();
});

let counter = 0;
const id = () => `txo${++counter}`;

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

/** Records every wake-up until the first `event` one for `executionId`. */
function untilEvent(seen: WakeUp[], executionId: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = scheduler.subscribe((wake) => {
      seen.push(wake);
      if (wake.reason === "event" && wake.executionId === executionId) {
        stop();
        resolve();
      }
    });
  });
}

describe("offerEvent(..., { transaction }) on Postgres", () => {
  it("commits with the caller: invisible before COMMIT, then delivered, pushed and consumed", async () => {
    const executionId = id();
    await durable().start(executionId, "ship", { order: 1 });
    await new Worker({ scheduler, registry, pollInterval: "1h", logger: silentLogger }).runUntilIdle();
    const seen: WakeUp[] = [];
    const woken = untilEvent(seen, executionId);
    await inTransaction("COMMIT", async (client) => {
      const offered = await durable().offerEvent(executionId, "go", "now", { transaction: client });
      expect(offered).toEqual({ status: "delivered" });
      expect((await durable().status(executionId)).events).toEqual([]);
    });
    await woken;
    expect(seen).toEqual([{ reason: "event", executionId }]);
    await new Worker({ scheduler, registry, pollInterval: "1h", logger: silentLogger }).runUntilIdle();
    expect(await durable().status(executionId)).toMatchObject({
      status: "completed",
      result: { order: 1, go: "now" },
    });
  });

  it("rolls back with the caller: no event, no started execution, no wake-up", async () => {
    const live = id();
    const missing = id();
    const committed = id();
    await durable().start(live, "ship", { order: 2 });
    await durable().start(committed, "ship", { order: 3 });
    const seen: WakeUp[] = [];
    const woken = untilEvent(seen, committed);
    await inTransaction("ROLLBACK", async (client) => {
      await durable().offerEvent(live, "go", "lost", { transaction: client });
      await durable().offerEvent(missing, "go", "lost", {
        transaction: client,
        startIfMissing: { task, data: { order: 4 } },
      });
    });
    // Notifications arrive in commit order: once the later commit's is here, the rolled-back ones never will.
    await inTransaction("COMMIT", async (client) => {
      await durable().offerEvent(committed, "go", "kept", { transaction: client });
    });
    await woken;
    expect(seen).toEqual([{ reason: "event", executionId: committed }]);
    expect((await durable().status(live)).events).toEqual([]);
    expect(await scheduler.getExecution(missing)).toBeUndefined();
    expect((await durable().status(committed)).events).toHaveLength(1);
  });

  it("starts a missing execution with the event iff the caller commits (signal-with-start)", async () => {
    const executionId = id();
    const seen: WakeUp[] = [];
    const woken = untilEvent(seen, executionId);
    await inTransaction("COMMIT", async (client) => {
      await durable().offerEvent(executionId, "go", "first", {
        transaction: client,
        startIfMissing: { task, data: { order: 5 } },
      });
      expect(await scheduler.getExecution(executionId)).toBeUndefined();
    });
    await woken;
    expect(seen).toEqual([
      { reason: "created", executionId },
      { reason: "event", executionId },
    ]);
    await new Worker({ scheduler, registry, pollInterval: "1h", logger: silentLogger }).runUntilIdle();
    expect(await durable().status(executionId)).toMatchObject({
      status: "completed",
      result: { order: 5, go: "first" },
    });
  });

  it("leaves the caller's transaction usable when the offer fails (unknown execution)", async () => {
    const executionId = id();
    await inTransaction("COMMIT", async (client) => {
      await expect(
        durable().offerEvent(executionId, "go", null, { transaction: client }),
      ).rejects.toMatchObject({ code: "EXECUTION_NOT_FOUND" });
      await client.query("SELECT 1");
    });
  });

  it("refuses a pool and a client outside BEGIN with InvalidTransactionError", async () => {
    const executionId = id();
    await durable().start(executionId, "ship", { order: 6 });
    await expect(durable().offerEvent(executionId, "go", null, { transaction: app })).rejects.toThrow(
      /Pool was given/,
    );
    const client = await app.connect();
    try {
      await expect(durable().offerEvent(executionId, "go", null, { transaction: client })).rejects.toThrow(
        /not inside BEGIN/,
      );
    } finally {
      client.release();
    }
    expect((await durable().status(executionId)).events).toEqual([]);
  });
});
