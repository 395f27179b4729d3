import { StoreUnavailableError, ValidationError } from "@zart/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PostgresScheduler } from "../src/index.js";
import { forSchema, loadMigrationFiles } from "../src/migrate/migration-files.js";
import { freePort } from "./support/embedded-postgres.js";
import { type TestDatabase, useTestDatabase } from "./support/test-database.js";

let db: TestDatabase;

beforeAll(async () => {
  db = await useTestDatabase("opts", inject("zartPostgresUrl"));
});

afterAll(async () => {
  await db?.dispose();
});

describe("options", () => {
  it("needs exactly one of connectionString and pool", () => {
    expect(() => new PostgresScheduler({} as never)).toThrow(ValidationError);
    const pool = new pg.Pool();
    expect(() => new PostgresScheduler({ pool, connectionString: "postgres://x" } as never)).toThrow(
      ValidationError,
    );
  });

  it("rejects a multi-host connection string, which node-postgres cannot use", () => {
    const url = "postgres://u@db-a:5432,db-b:5432/app?target_session_attrs=read-write";
    expect(() => new PostgresScheduler({ connectionString: url })).toThrow(/several hosts/);
    expect(() => new PostgresScheduler({ connectionString: url })).toThrow(ValidationError);
    // A comma in the password is not a host list.
    expect(() =>
      new PostgresScheduler({ connectionString: "postgres://u:a,b@db:5432/app" }).close(),
    ).not.toThrow();
  });

  it("accepts only plain lowercase identifiers as schema names", () => {
    for (const schema of ["", "Zart", "1zart", 'za"rt', "zart; drop", "a".repeat(41)]) {
      expect(() => new PostgresScheduler({ connectionString: db.url, schema })).toThrow(ValidationError);
    }
    expect(new PostgresScheduler({ connectionString: db.url, schema: "my_app_2" }).schema).toBe("my_app_2");
  });

  it("declares every capability: multiProcess, push, persistent, answersOnOffer, transactional*", () => {
    const scheduler = new PostgresScheduler({ connectionString: db.url });
    expect(scheduler.capabilities).toEqual({
      multiProcess: true,
      push: true,
      persistent: true,
      answersOnOffer: true,
      transactionalStart: true,
      transactionalSteps: true,
    });
  });
});

describe("errors at the boundary", () => {
  it("reports an unreachable server as StoreUnavailableError", async () => {
    const port = await freePort();
    const scheduler = new PostgresScheduler({ connectionString: `postgres://postgres@127.0.0.1:${port}/x` });
    try {
      await expect(scheduler.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(scheduler.getExecution("e1")).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
      const now = new Date();
      await expect(
        scheduler.createExecution({ executionId: "e1", taskName: "t", payload: "1", runAt: now }, now),
      ).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(scheduler.migrate()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await scheduler.close();
    }
  });

  it("reports missing tables as StoreUnavailableError asking for migrate()", async () => {
    const scheduler = new PostgresScheduler({ connectionString: db.url, schema: db.newSchema("none") });
    try {
      const error = await scheduler.getExecution("e1").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toContain("migrate()");
      const now = new Date();
      await expect(
        scheduler.claim({ workerId: "w", taskNames: ["t"], limit: 1, leaseMs: 1_000, now }),
      ).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await scheduler.close();
    }
  });
});

describe("upgrades", () => {
  it("applies only the newer migrations to a schema migrated by an older release", async () => {
    const schema = db.newSchema("old");
    const [first] = await loadMigrationFiles();
    // What release 0.1 (migration 0000 only) left behind, with its bookkeeping.
    await db.admin.query(`CREATE SCHEMA "${schema}"`);
    for (const sql of first!.statements) {
      const text = forSchema(sql, schema);
      if (text !== undefined) await db.admin.query(text);
    }
    await db.admin.query(
      `CREATE TABLE "${schema}".zart_migrations (id integer PRIMARY KEY, tag text NOT NULL, hash text NOT NULL, applied_at timestamptz NOT NULL)`,
    );
    await db.admin.query(`INSERT INTO "${schema}".zart_migrations VALUES (0, $1, $2, now())`, [
      first!.tag,
      first!.hash,
    ]);
    const now = new Date();
    await db.admin.query(
      `INSERT INTO "${schema}".executions (execution_id, task_name, payload, status, run_at, scheduled_at, created_at)
       VALUES ('kept', 't', '1', 'pending', $1, $1, $1)`,
      [now],
    );

    const scheduler = new PostgresScheduler({ connectionString: db.url, schema });
    try {
      await scheduler.migrate();
      const { rows } = await db.admin.query(`SELECT tag FROM "${schema}".zart_migrations ORDER BY id`);
      expect(rows.map((row) => row.tag)).toEqual([
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
      ]);
      const [work] = await scheduler.claim({
        workerId: "w",
        taskNames: ["t"],
        limit: 1,
        leaseMs: 1_000,
        now,
      });
      expect(work?.lease.executionId).toBe("kept");
      await scheduler.completeExecution(work!.lease, { result: "2" }, {}, now);
      expect((await scheduler.getExecution("kept"))?.execution.status).toBe("completed");
    } finally {
      await scheduler.close();
    }
  });
});
