import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DurableScheduler, defineTask, silentLogger, TaskRegistry, Worker } from "@zart/core";
import type { WakeUp } from "@zart/core/store";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteScheduler } from "../src/index.js";

/** `offerEvent(..., { transaction })`: the event (and any execution it starts) exists iff the caller commits. */

const directory = mkdtempSync(join(tmpdir(), "zart-sqlite-txoffer-"));
let scheduler: SqliteScheduler;
const task = defineTask({
  name: "ship",
  run: async (ctx, data: { order: number }) => ({ order: data.order, go: await ctx.waitForEvent("go") }),
});
const registry = new TaskRegistry().register(task);
const durable = () => new DurableScheduler(scheduler, { registry });
const runWorker = () =>
  new Worker({ scheduler, registry, pollInterval: "1h", logger: silentLogger }).runUntilIdle();

beforeAll(async () => {
  scheduler = new SqliteScheduler({ path: join(directory, "app.db") });
  await scheduler.migrate();
});

afterAll(async () => {
  await scheduler?.close();
  rmSync(directory, { recursive: true, force: true });
});

let counter = 0;
const id = () => `txo${++counter}`;

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

describe("offerEvent(..., { transaction }) on SQLite", () => {
  it("commits with the caller: pushed only after COMMIT, then consumed", async () => {
    const db = scheduler.database;
    const executionId = id();
    await durable().start(executionId, "ship", { order: 1 });
    await runWorker();
    const seen: WakeUp[] = [];
    const woken = untilEvent(seen, executionId);
    db.exec("BEGIN");
    expect(await durable().offerEvent(executionId, "go", "now", { transaction: db })).toEqual({
      status: "delivered",
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([]);
    db.exec("COMMIT");
    await woken;
    expect(seen).toEqual([{ reason: "event", executionId }]);
    await runWorker();
    expect(await durable().status(executionId)).toMatchObject({
      status: "completed",
      result: { order: 1, go: "now" },
    });
  });

  it("rolls back with the caller: no event, no started execution, no wake-up", async () => {
    const db = scheduler.database;
    const live = id();
    const missing = id();
    const committed = id();
    await durable().start(live, "ship", { order: 2 });
    await durable().start(committed, "ship", { order: 3 });
    const seen: WakeUp[] = [];
    const woken = untilEvent(seen, committed);
    db.exec("BEGIN");
    await durable().offerEvent(live, "go", "lost", { transaction: db });
    await durable().offerEvent(missing, "go", "lost", {
      transaction: db,
      startIfMissing: { task, data: { order: 4 } },
    });
    db.exec("ROLLBACK");
    // The rolled-back offers are checked first: once the later commit's wake-up is here, theirs never will be.
    db.exec("BEGIN");
    await durable().offerEvent(committed, "go", "kept", { transaction: db });
    db.exec("COMMIT");
    await woken;
    expect(seen).toEqual([{ reason: "event", executionId: committed }]);
    expect((await durable().status(live)).events).toEqual([]);
    expect(await scheduler.getExecution(missing)).toBeUndefined();
    expect((await durable().status(committed)).events).toHaveLength(1);
  });

  it("starts a missing execution with the event iff the caller commits (signal-with-start)", async () => {
    const db = scheduler.database;
    const executionId = id();
    const seen: WakeUp[] = [];
    const woken = untilEvent(seen, executionId);
    db.exec("BEGIN");
    await durable().offerEvent(executionId, "go", "first", {
      transaction: db,
      startIfMissing: { task, data: { order: 5 } },
    });
    db.exec("COMMIT");
    await woken;
    expect(seen).toEqual([
      { reason: "created", executionId },
      { reason: "event", executionId },
    ]);
    await runWorker();
    expect(await durable().status(executionId)).toMatchObject({
      status: "completed",
      result: { order: 5, go: "first" },
    });
  });

  it("refuses another handle on the same file, or the handle outside a transaction, persisting nothing", async () => {
    const executionId = id();
    await durable().start(executionId, "ship", { order: 6 });
    const other = new Database(join(directory, "app.db"));
    try {
      await expect(durable().offerEvent(executionId, "go", null, { transaction: other })).rejects.toThrow(
        /own better-sqlite3 handle/,
      );
      await expect(
        durable().offerEvent(executionId, "go", null, { transaction: scheduler.database }),
      ).rejects.toThrow(/not inside a transaction/);
    } finally {
      other.close();
    }
    expect((await durable().status(executionId)).events).toEqual([]);
  });
});
