import { DurableScheduler, defineTask, silentLogger, TaskRegistry, Worker } from "@zart/core";
import type { WakeUp } from "@zart/core/store";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { PostgresScheduler } from "../src/index.js";
import { type TestDatabase, useTestDatabase } from "./support/test-database.js";

/** Push wake-ups across processes: LISTEN/NOTIFY on the schema's channel, and its reconnection. */

let db: TestDatabase;
const open: PostgresScheduler[] = [];

beforeAll(async () => {
  db = await useTestDatabase("notify", inject("zartPostgresUrl"));
  await newScheduler().migrate();
});

afterEach(async () => {
  for (const scheduler of open.splice(0)) await scheduler.close();
});

afterAll(async () => {
  await db?.dispose();
});

/** A scheduler on a pool of its own: to the database it looks like another process. */
function newScheduler(): PostgresScheduler {
  const scheduler = new PostgresScheduler({
    connectionString: db.url,
    schema: db.schema,
    poolSize: 4,
    logger: silentLogger,
  });
  open.push(scheduler);
  return scheduler;
}

const CHANNEL = () => `${db.schema}_wake`;

/** Backend pids LISTENing on this schema's channel. */
async function listeners(): Promise<number[]> {
  const { rows } = await db.admin.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE query = $1",
    [`LISTEN "${CHANNEL()}"`],
  );
  return rows.map((row) => row.pid);
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const giveUp = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > giveUp) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let counter = 0;
const id = () => `n${++counter}`;

describe("LISTEN/NOTIFY", () => {
  it("delivers another process's wake-ups, and one's own exactly once", async () => {
    const a = newScheduler();
    const b = newScheduler();
    const seenByA: WakeUp[] = [];
    const seenByB: WakeUp[] = [];
    a.subscribe((wake) => seenByA.push(wake));
    b.subscribe((wake) => seenByB.push(wake));
    await until(async () => (await listeners()).length === 2, "both listeners");

    const executionId = id();
    const now = new Date();
    await b.createExecution({ executionId, taskName: "t", payload: "null", runAt: now }, now);
    await b.offerEvent({ executionId, eventName: "go", payload: "1" }, now);
    await b.cancelExecution(executionId, now);
    const expected = ["created", "event", "cancelled"].map((reason) => ({ reason, executionId }));
    await until(() => seenByA.length >= 3, "A's wake-ups");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seenByA).toEqual(expected);
    expect(seenByB).toEqual(expected);
  });

  it("reconnects when its LISTEN connection is killed, and hears later notifications", async () => {
    const a = newScheduler();
    const b = newScheduler();
    const seen: string[] = [];
    a.subscribe((wake) => seen.push(wake.executionId));
    await until(async () => (await listeners()).length === 1, "the listener");
    const [first] = await listeners();
    await db.admin.query("SELECT pg_terminate_backend($1)", [first]);
    await until(async () => {
      const pids = await listeners();
      return pids.length === 1 && pids[0] !== first;
    }, "a new LISTEN connection");
    const executionId = id();
    const now = new Date();
    await b.createExecution({ executionId, taskName: "t", payload: "null", runAt: now }, now);
    await until(() => seen.includes(executionId), "the notification after reconnecting");
  });

  it("wakes a worker of another process at once, long before its next poll", async () => {
    const approval = defineTask({
      name: "approval",
      async run(ctx) {
        const decision = await ctx.waitForEvent<{ ok: boolean }>("decision");
        return ctx.step("act", () => decision.ok);
      },
    });
    const workerSide = newScheduler();
    const clientSide = newScheduler();
    const registry = new TaskRegistry().register(approval);
    const worker = new Worker({
      scheduler: workerSide,
      registry,
      pollInterval: "1h",
      logger: silentLogger,
    });
    await worker.start();
    try {
      await until(async () => (await listeners()).length === 1, "the worker's listener");
      const client = new DurableScheduler(clientSide, { registry });
      const executionId = id();
      const started = performance.now();
      await client.start(executionId, "approval", null);
      await until(
        async () => (await client.status(executionId)).steps.some((s) => s.kind === "event"),
        "the wait",
      );
      await client.offerEvent(executionId, "decision", { ok: true });
      await expect(client.waitCompletion(executionId, { timeout: "5s", pollInterval: 10 })).resolves.toBe(
        true,
      );
      expect(performance.now() - started).toBeLessThan(3_000);
    } finally {
      await worker.stop();
    }
  });
});
