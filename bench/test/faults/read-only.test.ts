import { setTimeout as sleep } from "node:timers/promises";
import {
  DurableScheduler,
  defineTask,
  type Logger,
  type Scheduler,
  StoreUnavailableError,
  silentLogger,
  TaskRegistry,
  Worker,
} from "@zart/core";
import { PostgresScheduler } from "@zart/store-postgres";
import { RedisScheduler } from "@zart/store-redis";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { redisServerInstalled, startRedisServer } from "../../../packages/store-redis/test/redis-server.js";
import { storeUrls } from "./fault-env.js";

/**
 * Item 3 of issue #19: a store that reaches a read-only server (a demoted primary, a replica after
 * a failover) reports `StoreUnavailableError`, and its workers keep retrying until the server takes
 * writes again; never a programming error.
 */
const urls = storeUrls();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

const echo = defineTask({
  name: "echo",
  async run(ctx, n: number) {
    return await ctx.step("double", async () => n * 2);
  },
});

/** A logger that keeps the errors it is given. */
function recordingLogger(errors: unknown[]): Logger {
  const record = (fields: unknown) => {
    const error = (fields as { error?: unknown } | undefined)?.error;
    if (error !== undefined) errors.push(error);
  };
  return { ...silentLogger, error: record, warn: record };
}

/**
 * While `scheduler` reaches a read-only server: starting an execution and claiming fail with
 * `StoreUnavailableError`, a worker keeps polling; once `makeWritable` ran, the worker completes
 * the execution started before.
 */
async function readOnlyThenWritable(
  writable: Scheduler,
  readOnly: () => Promise<Scheduler>,
  makeWritable: () => Promise<void>,
): Promise<void> {
  const registry = new TaskRegistry().register(echo);
  await new DurableScheduler(writable, { registry }).start("before", "echo", 21);
  const scheduler = await readOnly();
  const client = new DurableScheduler(scheduler, { registry });
  await expect(client.start("during", "echo", 1)).rejects.toBeInstanceOf(StoreUnavailableError);
  await expect(
    scheduler.claim({ workerId: "w", taskNames: ["echo"], limit: 1, leaseMs: 1_000, now: new Date() }),
  ).rejects.toBeInstanceOf(StoreUnavailableError);
  const errors: unknown[] = [];
  const worker = new Worker({ scheduler, registry, pollInterval: 50, logger: recordingLogger(errors) });
  await worker.start();
  try {
    while (errors.length < 3) await sleep(20);
    expect((await writable.getExecution("before"))?.execution.status).toBe("pending");
    await makeWritable();
    const giveUp = Date.now() + 30_000;
    while ((await writable.getExecution("before"))?.execution.status !== "completed") {
      if (Date.now() > giveUp) throw new Error("the execution did not complete once the server took writes");
      await sleep(50);
    }
  } finally {
    await worker.stop({ graceful: false });
  }
  expect((await writable.getExecution("before"))?.execution.result).toBe("42");
  // Every failure the worker logged meanwhile was the store being unavailable.
  for (const error of errors)
    expect(String(error)).toMatch(/StoreUnavailableError|LeaseLostError|read.only|READONLY/i);
  await client.start("after", "echo", 1);
}

describe("a read-only server", () => {
  it.skipIf(urls.postgres === undefined)(
    "PostgreSQL with default_transaction_read_only (a demoted primary): StoreUnavailableError, then recovers",
    async () => {
      const database = `zart_faults_ro_${process.pid}`;
      const admin = new pg.Client({ connectionString: urls.postgres });
      await admin.connect();
      cleanups.push(async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await admin.end();
      });
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${database}`);
      const url = new URL(urls.postgres!);
      url.pathname = `/${database}`;
      const open = () => {
        const scheduler = new PostgresScheduler({ connectionString: url.toString(), logger: silentLogger });
        cleanups.push(() => scheduler.close());
        return scheduler;
      };
      const writable = open();
      await writable.migrate();
      await readOnlyThenWritable(
        writable,
        async () => {
          // New sessions of this database are read-only, as on a standby or a demoted primary.
          await admin.query(`ALTER DATABASE ${database} SET default_transaction_read_only = on`);
          return open();
        },
        async () => {
          await admin.query(`ALTER DATABASE ${database} RESET default_transaction_read_only`);
        },
      );
    },
  );

  it.skipIf(!redisServerInstalled)(
    "Redis replica (READONLY replies): StoreUnavailableError, then recovers once promoted",
    async () => {
      const primary = await startRedisServer(["--save", "", "--appendonly", "no"]);
      cleanups.push(() => primary.stop());
      const { port } = new URL(primary.url);
      const replica = await startRedisServer([
        "--save",
        "",
        "--appendonly",
        "no",
        "--replicaof",
        "127.0.0.1",
        port,
      ]);
      cleanups.push(() => replica.stop());
      const admin = new Redis(replica.url);
      cleanups.push(async () => void admin.disconnect());
      const open = (url: string) => {
        const scheduler = new RedisScheduler({ url, logger: silentLogger });
        cleanups.push(() => scheduler.close());
        return scheduler;
      };
      const writable = open(primary.url);
      await writable.migrate();
      await readOnlyThenWritable(
        writable,
        async () => {
          while (!(await admin.info("replication")).includes("master_link_status:up")) await sleep(20);
          return open(replica.url);
        },
        async () => {
          // A failover promotes the replica; the old primary stops taking writes for good.
          const old = new Redis(primary.url);
          await old.replicaof("127.0.0.1", new URL(replica.url).port);
          old.disconnect();
          await admin.replicaof("NO", "ONE");
        },
      );
      // The rest reads the promoted replica, which took over the primary's data.
      expect((await open(replica.url).getExecution("before"))?.execution.status).toBe("completed");
    },
  );
});
