import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { SqliteScheduler } from "../src/index.js";
import { COUNTER_STEPS, CREATE_COUNTER_SQL, counterTask } from "./fixtures/counter-task.js";
import { runScript, stopScript } from "./support/processes.js";

/** `ctx.transaction`: the body's writes and the step row commit together or not at all. */

const directory = mkdtempSync(join(tmpdir(), "zart-sqlite-txsteps-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let scheduler: SqliteScheduler;
let file = 0;

beforeEach(async () => {
  scheduler = new SqliteScheduler({ path: join(directory, `app-${++file}.db`) });
  await scheduler.migrate();
  scheduler.database.exec("CREATE TABLE orders (id TEXT PRIMARY KEY)");
  scheduler.database.exec(CREATE_COUNTER_SQL);
  return () => scheduler.close();
});

const orders = () =>
  (scheduler.database.prepare("SELECT id FROM orders ORDER BY id").all() as { id: string }[]).map(
    (r) => r.id,
  );

async function stepsOf(executionId: string) {
  const details = await scheduler.getExecution(executionId);
  return (details?.steps ?? []).map(({ name, kind, status, result }) => ({ name, kind, status, result }));
}

function run(registry: TaskRegistry, concurrency = 1) {
  return new Worker({
    scheduler,
    registry,
    concurrency,
    pollInterval: "1h",
    logger: silentLogger,
  }).runUntilIdle();
}

describe("ctx.transaction on SQLite", () => {
  it("commits the body's write and the step row together; a replay returns the stored result", async () => {
    let bodies = 0;
    const task = defineTask({
      name: "order",
      async run(ctx) {
        const placed = await ctx.transaction("place", async (tx: Database.Database) => {
          bodies++;
          tx.prepare("INSERT INTO orders VALUES (?)").run(ctx.executionId);
          return { placed: ctx.executionId };
        });
        await ctx.waitForEvent("go");
        return placed;
      },
    });
    const registry = new TaskRegistry().register(task);
    const durable = new DurableScheduler(scheduler, { registry });
    await durable.start("o1", "order", null);
    await run(registry);
    expect(orders()).toEqual(["o1"]);
    expect((await stepsOf("o1"))[0]).toEqual({
      name: "place",
      kind: "transaction",
      status: "completed",
      result: '{"placed":"o1"}',
    });
    await durable.offerEvent("o1", "go", null);
    await run(registry);
    expect(await durable.status("o1")).toMatchObject({ status: "completed", result: { placed: "o1" } });
    expect(bodies).toBe(1);
  });

  it("rolls back the body's write when it throws; the step is retried per its policy", async () => {
    let bodies = 0;
    const task = defineTask({
      name: "flaky",
      async run(ctx) {
        return ctx.transaction(
          "place",
          async (tx: Database.Database) => {
            bodies++;
            tx.prepare("INSERT INTO orders VALUES (?)").run(`${ctx.executionId}-${bodies}`);
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
    await run(registry);
    expect(await durable.status("f1")).toMatchObject({ status: "completed", result: 2 });
    expect(orders()).toEqual(["f1-2"]);
    expect(await stepsOf("f1")).toEqual([
      { name: "place", kind: "transaction", status: "completed", result: "2" },
    ]);
  });

  it("refuses a stale lease inside the transaction: LeaseLostError, the body's write rolled back", async () => {
    const clock = new ManualClock(new Date("2026-01-01T00:00:00Z"));
    const store = new SqliteScheduler({ database: scheduler.database, clock });
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
            (tx as Database.Database).prepare("INSERT INTO orders VALUES ('s1')").run();
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
    expect(orders()).toEqual([]);
    expect(await stepsOf("s1")).toEqual([]);
  });

  it("keeps the store's other writes out of a body's transaction while it runs", async () => {
    const failing = defineTask({
      name: "failing",
      async run(ctx) {
        return ctx.transaction("place", async (tx: Database.Database) => {
          tx.prepare("INSERT INTO orders VALUES (?)").run(ctx.executionId);
          // Other executions make their step writes meanwhile; they must not join this transaction.
          await sleep(100);
          throw new Error("rolled back");
        });
      },
    });
    const busy = defineTask({
      name: "busy",
      async run(ctx) {
        for (let i = 0; i < 10; i++) await ctx.step(`s${i}`, () => sleep(5).then(() => i));
        return "done";
      },
    });
    const registry = new TaskRegistry().register(failing).register(busy);
    const durable = new DurableScheduler(scheduler, { registry });
    await durable.start("x1", "failing", null);
    await durable.start("b1", "busy", null);
    await run(registry, 2);
    expect(orders()).toEqual([]);
    expect(await durable.status("b1")).toMatchObject({ status: "completed", result: "done" });
    expect((await stepsOf("b1")).filter((s) => s.status === "completed")).toHaveLength(10);
  });

  it("gives the drizzle instance as tx when the store is given one over its handle", async () => {
    const handle = new Database(join(directory, "drizzle.db"));
    const orm = drizzle(handle);
    const store = new SqliteScheduler({ database: handle, transactionDatabase: orm });
    await store.migrate();
    handle.exec("CREATE TABLE orders (id TEXT PRIMARY KEY)");
    const task = defineTask({
      name: "orm",
      async run(ctx) {
        return ctx.transaction("place", async (tx: BetterSQLite3Database) => {
          tx.run(sql`INSERT INTO orders VALUES (${ctx.executionId})`);
          return "ok";
        });
      },
    });
    const registry = new TaskRegistry().register(task);
    await new DurableScheduler(store, { registry }).start("d1", "orm", null);
    await new Worker({ scheduler: store, registry, pollInterval: "1h", logger: silentLogger }).runUntilIdle();
    expect(handle.prepare("SELECT id FROM orders").all()).toEqual([{ id: "d1" }]);
    expect(
      () => new SqliteScheduler({ database: new Database(":memory:"), transactionDatabase: orm }),
    ).toThrow(/over this store's own handle/);
    await store.close();
    handle.close();
  });
});

describe("ctx.transaction under SIGKILL", () => {
  const counters = () =>
    scheduler.database.prepare("SELECT key, n FROM counter ORDER BY key").all() as { n: number }[];

  async function finish(ids: string[]) {
    const registry = new TaskRegistry().register(counterTask({ stepMs: 0 }));
    // The killed worker's leases (1 s) expire, then this worker takes its executions over.
    const worker = new Worker({
      scheduler,
      registry,
      concurrency: 4,
      pollInterval: 50,
      logger: silentLogger,
    });
    await worker.start();
    try {
      const durable = new DurableScheduler(scheduler);
      for (const id of ids) await durable.waitCompletion(id, { timeout: "60s" });
    } finally {
      await worker.stop();
    }
  }

  it("leaves neither the write nor the step when the process dies inside the body", async () => {
    await new DurableScheduler(scheduler).start("k1", "counter", null);
    const child = runScript("counter-worker.ts", [join(directory, `app-${file}.db`), "hang"]);
    await child.waitFor("inside k1");
    await stopScript(child, "SIGKILL");
    expect(counters()).toEqual([]);
    expect(await stepsOf("k1")).toEqual([]);
    await finish(["k1"]);
    expect(counters().map((c) => c.n)).toEqual(Array(COUNTER_STEPS).fill(1));
  });

  it("applies every transactional write exactly once through repeated SIGKILLs", async () => {
    const total = Number(process.env.ZART_TX_KILL_STEPS ?? 100);
    const ids = Array.from({ length: Math.ceil(total / COUNTER_STEPS) }, (_, i) => `c${i}`);
    const durable = new DurableScheduler(scheduler);
    for (const id of ids) await durable.start(id, "counter", null);
    for (let round = 0; round < 3; round++) {
      const child = runScript("counter-worker.ts", [join(directory, `app-${file}.db`), "run"]);
      await child.waitFor("ready");
      await sleep(300 + Math.random() * 400);
      await stopScript(child, "SIGKILL");
    }
    await finish(ids);
    const all = counters();
    expect(all).toHaveLength(ids.length * COUNTER_STEPS);
    expect(all.filter((c) => c.n !== 1)).toEqual([]);
  });
});
