import { DurableScheduler, defineTask, silentLogger, TaskRegistry, Worker } from "@zart/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PostgresScheduler } from "../src/index.js";
import { type TestDatabase, useTestDatabase } from "./support/test-database.js";

/**
 * The transactional step's fenced write is a named prepared statement: parsed and planned once per
 * connection, not on every transaction (half of its database CPU on bench W9).
 */

let db: TestDatabase;
let pool: pg.Pool;
let scheduler: PostgresScheduler;

beforeAll(async () => {
  db = await useTestDatabase("txprepared", inject("zartPostgresUrl"));
  // One connection: every transaction runs on the same session, so its prepared statements show.
  pool = new pg.Pool({ connectionString: db.url, max: 1 });
  scheduler = new PostgresScheduler({
    connectionString: db.url,
    schema: db.schema,
    transactionDatabase: pool,
    logger: silentLogger,
  });
  await scheduler.migrate();
});

afterAll(async () => {
  await scheduler?.close();
  await pool?.end();
  await db?.dispose();
});

describe("ctx.transaction's fenced write on Postgres", () => {
  it("is prepared once per connection and reused by the next transactions", async () => {
    const task = defineTask({
      name: "prepared",
      run: (ctx) =>
        ctx.transaction("look", async (tx: pg.PoolClient) => {
          const { rows } = await tx.query("SELECT name FROM pg_prepared_statements ORDER BY name");
          return rows.map((row: { name: string }) => row.name);
        }),
    });
    const registry = new TaskRegistry().register(task);
    const durable = new DurableScheduler(scheduler, { registry });
    for (const id of ["p1", "p2", "p3"]) {
      await durable.start(id, "prepared", null);
      await new Worker({ scheduler, registry, pollInterval: "1h", logger: silentLogger }).runUntilIdle();
    }
    const seen = await Promise.all(["p1", "p2", "p3"].map(async (id) => (await durable.status(id))?.result));
    const name = `${db.schema}:transactional-step`;
    // The first transaction prepares it (after its body ran); the later ones find it there.
    expect(seen).toEqual([[], [name], [name]]);
  });
});
