import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DurableScheduler,
  defineTask,
  InvalidTransactionError,
  silentLogger,
  TaskRegistry,
  Worker,
} from "@zart/core";
import type { WakeUp } from "@zart/core/store";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteScheduler } from "../src/index.js";

/** `start(..., { transaction })`: the execution and its wake-up exist iff the caller commits. */

const directory = mkdtempSync(join(tmpdir(), "zart-sqlite-txstart-"));
let scheduler: SqliteScheduler;
const task = defineTask({ name: "ship", run: async (_ctx, data: { order: number }) => data.order });
const registry = new TaskRegistry().register(task);

beforeAll(async () => {
  scheduler = new SqliteScheduler({ path: join(directory, "app.db") });
  await scheduler.migrate();
  scheduler.database.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY)");
});

afterAll(async () => {
  await scheduler?.close();
  rmSync(directory, { recursive: true, force: true });
});

let counter = 0;
const id = () => `tx${++counter}`;
const durable = () => new DurableScheduler(scheduler, { registry });
const orders = () => scheduler.database.prepare("SELECT id FROM orders").all();

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

describe("start(..., { transaction }) on SQLite", () => {
  it("commits with the caller: pushed only after COMMIT, then claimable", async () => {
    const db = scheduler.database;
    const executionId = id();
    const seen: WakeUp[] = [];
    const woken = nextCreated(seen, executionId);
    db.exec("BEGIN");
    db.prepare("INSERT INTO orders VALUES (1)").run();
    await durable().start(executionId, "ship", { order: 1 }, { transaction: db });
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([]);
    db.exec("COMMIT");
    await woken;
    expect(seen).toEqual([{ reason: "created", executionId }]);
    await new Worker({ scheduler, registry, pollInterval: "1h", logger: silentLogger }).runUntilIdle();
    expect(await durable().status(executionId)).toMatchObject({ status: "completed", result: 1 });
    db.exec("DELETE FROM orders");
  });

  it("rolls back with the caller: no execution and no wake-up", async () => {
    const db = scheduler.database;
    const rolledBack = id();
    const committed = id();
    const seen: WakeUp[] = [];
    const woken = nextCreated(seen, committed);
    db.exec("BEGIN");
    db.prepare("INSERT INTO orders VALUES (2)").run();
    await durable().start(rolledBack, "ship", { order: 2 }, { transaction: db });
    db.exec("ROLLBACK");
    // The rolled-back start is checked first: once the later commit's wake-up is here, it never will be.
    db.exec("BEGIN");
    await durable().start(committed, "ship", { order: 3 }, { transaction: db });
    db.exec("COMMIT");
    await woken;
    expect(seen).toEqual([{ reason: "created", executionId: committed }]);
    expect(await scheduler.getExecution(rolledBack)).toBeUndefined();
    expect(orders()).toEqual([]);
  });

  it("refuses another handle on the same file, or the handle outside a transaction, persisting nothing", async () => {
    const other = new Database(join(directory, "app.db"));
    try {
      other.exec("BEGIN");
      const executionId = id();
      await expect(
        durable().start(executionId, "ship", { order: 4 }, { transaction: other }),
      ).rejects.toThrow(/own better-sqlite3 handle/);
      other.exec("ROLLBACK");
      const error = await durable()
        .start(executionId, "ship", { order: 4 }, { transaction: scheduler.database })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidTransactionError);
      expect((error as InvalidTransactionError).code).toBe("INVALID_TRANSACTION");
      expect((error as Error).message).toMatch(/not inside a transaction/);
      expect(await scheduler.getExecution(executionId)).toBeUndefined();
    } finally {
      other.close();
    }
  });
});
