import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PostgresScheduler } from "../src/index.js";
import { exited, printed, spawnScript } from "./support/processes.js";
import { type TestDatabase, useTestDatabase } from "./support/test-database.js";

let db: TestDatabase;

beforeAll(async () => {
  db = await useTestDatabase("migrate", inject("zartPostgresUrl"));
});

afterAll(async () => {
  await db?.dispose();
});

/** A scheduler on a pool of its own, as a separate process would have. */
function schedulerFor(schema: string): PostgresScheduler {
  return new PostgresScheduler({ connectionString: db.url, schema, poolSize: 2 });
}

async function tablesOf(schema: string): Promise<string[]> {
  const { rows } = await db.admin.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
    [schema],
  );
  return rows.map((row) => row.table_name);
}

async function migrationsOf(schema: string): Promise<{ id: number; tag: string; hash: string }[]> {
  const { rows } = await db.admin.query(`SELECT id, tag, hash FROM "${schema}".zart_migrations ORDER BY id`);
  return rows;
}

const TABLES = [
  "debounces",
  "events",
  "executions",
  "pause_rules",
  "rate_windows",
  "runs",
  "schedules",
  "steps",
  "workers",
  "zart_migrations",
];
/** The shipped migrations, in order (see `drizzle/meta/_journal.json`). */
const SHIPPED = [
  "0000_init",
  "0001_released_by",
  "0002_priority",
  "0003_step_kind_marker",
  "0004_child_executions",
  "0005_step_kind_transaction",
  "0006_concurrency_key",
  "0007_rerun_paused",
  "0008_schedules",
  "0009_run_history",
  "0010_trace_context",
  "0011_task_version",
  "0012_workers",
  "0013_debounce",
  "0014_pause_rules",
  "0015_rate_limits",
  "0016_queue_index",
];

describe("migrate()", () => {
  it("creates the schema with the shipped migrations, records them, and is a no-op the second time", async () => {
    const schema = db.newSchema("m");
    const scheduler = schedulerFor(schema);
    try {
      await scheduler.migrate();
      await scheduler.migrate();
    } finally {
      await scheduler.close();
    }
    expect(await tablesOf(schema)).toEqual(TABLES);
    const migrations = await migrationsOf(schema);
    expect(migrations.map((m) => m.tag)).toEqual(SHIPPED);
    expect(migrations[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    // Everything generated for "zart" landed in our schema: the foreign keys point inside it.
    const { rows } = await db.admin.query<{ target: string }>(
      `SELECT confrelid::regclass::text AS target FROM pg_constraint
       WHERE contype = 'f' AND connamespace = $1::regnamespace`,
      [schema],
    );
    expect(rows.map((row) => row.target)).toEqual([`${schema}.executions`, `${schema}.executions`]);
  });

  it("succeeds from 10 pools at once on one fresh schema, applying each migration once", async () => {
    const schema = db.newSchema("m");
    const schedulers = Array.from({ length: 10 }, () => schedulerFor(schema));
    try {
      await Promise.all(schedulers.map((scheduler) => scheduler.migrate()));
    } finally {
      await Promise.all(schedulers.map((scheduler) => scheduler.close()));
    }
    expect(await tablesOf(schema)).toEqual(TABLES);
    expect(await migrationsOf(schema)).toHaveLength(SHIPPED.length);
  });

  it("migrates 10 fresh schemas at once from 10 pools", async () => {
    const schemas = Array.from({ length: 10 }, () => db.newSchema("m"));
    const schedulers = schemas.map((schema) => schedulerFor(schema));
    try {
      await Promise.all(schedulers.map((scheduler) => scheduler.migrate()));
    } finally {
      await Promise.all(schedulers.map((scheduler) => scheduler.close()));
    }
    for (const schema of schemas) expect(await tablesOf(schema)).toEqual(TABLES);
  });

  it("succeeds from 10 processes at once on one fresh schema", async () => {
    const schema = db.newSchema("m");
    const script = new URL("./support/migrate-process.ts", import.meta.url);
    const children = Array.from({ length: 10 }, () => spawnScript(script, [db.url, schema]));
    const done = children.map((child) => exited(child));
    await Promise.all(children.map((child) => printed(child, "ready")));
    for (const child of children) child.stdin?.write("go\n");
    const results = await Promise.all(done);
    expect(results.map((r) => r.stdout.trim())).toEqual(Array(10).fill("ready\nmigrated"));
    expect(await migrationsOf(schema)).toHaveLength(SHIPPED.length);
    expect(await tablesOf(schema)).toEqual(TABLES);
  }, 60_000);

  it("uses a pool it is given without closing it", async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 3 });
    try {
      const schema = db.newSchema("m");
      const scheduler = new PostgresScheduler({ pool, schema });
      await scheduler.migrate();
      await scheduler.ping();
      await scheduler.close();
      expect((await pool.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});
