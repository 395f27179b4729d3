import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DurableScheduler, defineTask, silentLogger, TaskRegistry, Worker } from "@zart/core";
import { MemoryScheduler } from "@zart/store-memory";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PG_URL, resetDatabase } from "../src/harness/services.js";
import { countAppRows, createAppTable, openAppTable } from "../src/systems/app-table.js";
import type { SystemEnv } from "../src/systems/types.js";
import { startTracing } from "../src/systems/zart-tracing.js";

const DATABASE = `bench_apptable_${process.pid}_${Date.now().toString(36)}`;
let pgEnv: SystemEnv;
let dir: string;

beforeAll(async () => {
  pgEnv = { system: "test", tag: "t", pgUrl: await resetDatabase(DATABASE) };
  dir = await mkdtemp(join(tmpdir(), "bench-apptable-"));
});

afterAll(async () => {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
  await rm(dir, { recursive: true, force: true });
});

describe("W9 app table", () => {
  it("on Postgres: insertIn writes through the caller's transaction, insert commits on its own", async () => {
    await createAppTable(pgEnv);
    const app = openAppTable(pgEnv);
    const client = new pg.Client({ connectionString: pgEnv.pgUrl });
    await client.connect();
    try {
      await client.query("BEGIN");
      await app.insertIn(client, "rolled-back");
      await client.query("ROLLBACK");
      await client.query("BEGIN");
      await app.insertIn(client, "committed");
      await client.query("COMMIT");
      await app.insert("own");
      await expect(app.insert("own")).rejects.toThrow(/duplicate key/);
      expect(await countAppRows(pgEnv)).toBe(2);
    } finally {
      await client.end();
      await app.close();
    }
  });

  it("on SQLite: the same, through the store's handle and a second connection", async () => {
    const env: SystemEnv = { system: "test", tag: "t", path: join(dir, "app.db") };
    await createAppTable(env);
    const app = openAppTable(env);
    const handle = new Database(env.path as string);
    try {
      handle.exec("BEGIN IMMEDIATE");
      await app.insertIn(handle, "rolled-back");
      handle.exec("ROLLBACK");
      handle.exec("BEGIN IMMEDIATE");
      await app.insertIn(handle, "committed");
      handle.exec("COMMIT");
      await app.insert("own");
      expect(await countAppRows(env)).toBe(2);
    } finally {
      handle.close();
      await app.close();
    }
  });
});

describe("W10 tracing", () => {
  it("exports one span per execution run and one per step attempt", async () => {
    const scheduler = new MemoryScheduler();
    const registry = new TaskRegistry().register(
      defineTask({
        name: "three",
        async run(ctx) {
          for (const step of ["one", "two", "three"]) await ctx.step(step, async () => step);
        },
      }),
    );
    const tracing = startTracing();
    const worker = new Worker({ scheduler, registry, logger: silentLogger, hooks: tracing.hooks });
    const durable = new DurableScheduler(scheduler, { registry });
    for (const id of ["a", "b", "c"]) await durable.start(id, "three", {});
    await worker.runUntilIdle();
    expect(await tracing.stop()).toBe(3 * 4);
  });
});
