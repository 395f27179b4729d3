import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DurableScheduler, defineTask, silentLogger, TaskRegistry, Worker } from "@zart/core";
import type { WakeUp } from "@zart/core/store";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../src/db/migrate.js";
import { SqliteScheduler } from "../src/index.js";
import { SHIPPED_MIGRATIONS } from "./support/shipped-migrations.js";

const directory = mkdtempSync(join(tmpdir(), "zart-sqlite-store-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let files = 0;
const freshPath = () => join(directory, `store-${++files}.db`);
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const start = (scheduler: SqliteScheduler, executionId: string) =>
  scheduler.createExecution({ executionId, taskName: "t", payload: "1", runAt: new Date() }, new Date());

describe("SqliteScheduler", () => {
  it("declares its capabilities by storage: file, in-memory path, passed-in in-memory handle", async () => {
    const file = new SqliteScheduler({ path: freshPath() });
    const memory = new SqliteScheduler({ path: ":memory:" });
    const handle = new Database(":memory:");
    const shared = new SqliteScheduler({ database: handle });
    expect(file.capabilities).toEqual({
      multiProcess: true,
      push: true,
      persistent: true,
      answersOnOffer: true,
      transactionalStart: true,
      transactionalSteps: true,
    });
    expect(memory.capabilities).toEqual({
      multiProcess: false,
      push: true,
      persistent: false,
      answersOnOffer: true,
      transactionalStart: true,
      transactionalSteps: true,
    });
    expect(shared.capabilities).toEqual({
      multiProcess: false,
      push: true,
      persistent: true,
      answersOnOffer: true,
      transactionalStart: true,
      transactionalSteps: true,
    });
    for (const scheduler of [file, memory, shared]) await scheduler.close();
    handle.close();
  });

  it("opens files in WAL mode with busy_timeout and synchronous NORMAL by default, FULL on request", async () => {
    const normal = new SqliteScheduler({ path: freshPath(), busyTimeoutMs: 1234 });
    expect(normal.database.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(normal.database.pragma("busy_timeout", { simple: true })).toBe(1234);
    expect(normal.database.pragma("synchronous", { simple: true })).toBe(1);
    const full = new SqliteScheduler({ path: freshPath(), synchronous: "FULL" });
    expect(full.database.pragma("synchronous", { simple: true })).toBe(2);
    await normal.close();
    await full.close();
  });

  it("closes the database it opened, never a handle that was passed in", async () => {
    const owned = new SqliteScheduler({ path: freshPath() });
    await owned.close();
    expect(owned.database.open).toBe(false);
    const handle = new Database(freshPath());
    const borrowed = new SqliteScheduler({ database: handle });
    await borrowed.close();
    expect(handle.open).toBe(true);
    handle.close();
  });

  it("dispatches and lists more rows than SQLite binds variables in one statement", async () => {
    const scheduler = new SqliteScheduler({ path: ":memory:" });
    await scheduler.migrate();
    await start(scheduler, "parent");
    const [work] = await scheduler.claim({
      workerId: "w",
      taskNames: ["t"],
      limit: 1,
      leaseMs: 30_000,
      now: new Date(),
    });
    const children = Array.from({ length: 5_000 }, (_, position) => ({ position, name: `c${position}` }));
    expect(await scheduler.dispatchChildren(work!.lease, { children }, {}, new Date())).toEqual({
      suspended: true,
    });
    for (let i = 0; i < 1_200; i++) await start(scheduler, `e${i}`);
    const listed = await scheduler.listExecutions({ limit: 2_000, offset: 0 });
    expect(listed).toHaveLength(1_201);
    expect(listed.find((d) => d.execution.executionId === "parent")?.steps).toHaveLength(5_000);
    await scheduler.close();
  });

  it("migrate() is idempotent and records each shipped migration once", async () => {
    expect(existsSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"))).toBe(true);
    const scheduler = new SqliteScheduler({ path: freshPath() });
    await scheduler.migrate();
    await scheduler.migrate();
    const rows = scheduler.database.prepare("SELECT hash FROM __zart_migrations").all();
    expect(rows).toHaveLength(SHIPPED_MIGRATIONS);
    expect(scheduler.database.inTransaction).toBe(false);
    await scheduler.close();
  });

  it("migrates a database from before run history: its executions are run 1, archived on replace", async () => {
    // The shipped migrations before run history, applied on a file as an older release did.
    const older = join(directory, `migrations-${++files}`);
    cpSync(MIGRATIONS_FOLDER, older, { recursive: true });
    const journalPath = join(older, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
    const tags = journal.entries.map((entry) => entry.tag);
    const since = tags.indexOf("0006_run_history");
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, since) }));
    const path = freshPath();
    const old = new Database(path);
    migrate(drizzle(old), { migrationsFolder: older, migrationsTable: "__zart_migrations" });
    old
      .prepare(
        `INSERT INTO zart_executions (execution_id, task_name, payload, status, result, attempt, scheduled_at, created_at, completed_at)
         VALUES ('e1', 't', '1', 'completed', '"done"', 0, 1000, 1000, 2000)`,
      )
      .run();
    old.close();

    const scheduler = new SqliteScheduler({ path });
    expect(await scheduler.migrate()).toEqual(tags.slice(since));
    expect((await scheduler.getExecution("e1"))?.execution.run).toBeUndefined();
    expect((await start(scheduler, "e1")).run).toBe(2);
    expect(await scheduler.listRuns("e1")).toMatchObject([
      { run: 2, status: "pending" },
      { run: 1, status: "completed", completedAt: new Date(2000) },
    ]);
    expect((await scheduler.getRun("e1", 1))?.execution).toMatchObject({
      run: 1,
      status: "completed",
      result: '"done"',
      createdAt: new Date(1000),
      completedAt: new Date(2000),
    });
    await scheduler.close();
  });

  it("pushes wake-ups to every scheduler on the same file in this process, until close()", async () => {
    const path = freshPath();
    const a = new SqliteScheduler({ path });
    const b = new SqliteScheduler({ path });
    const other = new SqliteScheduler({ path: freshPath() });
    await a.migrate();
    await other.migrate();
    const seen: WakeUp[] = [];
    const seenElsewhere: WakeUp[] = [];
    b.subscribe((wake) => seen.push(wake));
    other.subscribe((wake) => seenElsewhere.push(wake));
    await start(a, "e1");
    await flush();
    expect(seen).toEqual([{ reason: "created", executionId: "e1" }]);
    expect(seenElsewhere).toEqual([]);

    await b.close();
    await a.cancelExecution("e1", new Date());
    await flush();
    expect(seen).toHaveLength(1);
    await a.close();
    await other.close();
  });

  it("runs a task whose event, offered through another scheduler on the file, wakes the worker at once", async () => {
    const path = freshPath();
    const workerSide = new SqliteScheduler({ path });
    const clientSide = new SqliteScheduler({ path });
    await workerSide.migrate();
    const approval = defineTask({
      name: "approval",
      async run(ctx, data: { who: string }) {
        await ctx.step("validate", async () => data.who.length);
        const decision = await ctx.waitForEvent<{ approved: boolean }>("decision");
        return decision.approved ? `approved for ${data.who}` : "rejected";
      },
    });
    // Polling once an hour: only the in-process push can wake this worker within the test.
    const worker = new Worker({
      scheduler: workerSide,
      registry: new TaskRegistry().register(approval),
      pollInterval: "1h",
      logger: silentLogger,
    });
    await worker.start();
    try {
      const client = new DurableScheduler(clientSide);
      await client.startFor(approval, "a1", { who: "Bob" });
      while ((await client.status("a1")).status !== "waiting") await new Promise((r) => setTimeout(r, 5));
      await client.offerEvent("a1", "decision", { approved: true });
      expect(await client.waitFor(approval, "a1", { timeout: "20s", pollInterval: 10 })).toBe(
        "approved for Bob",
      );
      const steps = (await client.status("a1")).steps.map((step) => [step.name, step.kind, step.status]);
      expect(steps).toEqual([
        ["validate", "step", "completed"],
        ["decision", "event", "completed"],
      ]);
    } finally {
      await worker.stop();
      await workerSide.close();
      await clientSide.close();
    }
  });
});
