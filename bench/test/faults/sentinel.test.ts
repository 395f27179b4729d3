import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DurableScheduler, defineTask, silentLogger, TaskRegistry, Worker } from "@zart/core";
import { RedisScheduler } from "@zart/store-redis";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { redisServerInstalled, startRedisServer } from "../../../packages/store-redis/test/redis-server.js";

/**
 * Item 3 of issue #19, Redis Sentinel: the store's ioredis options pass through (`sentinels`,
 * `name`), and after a Sentinel failover the store keeps working against the promoted replica.
 */
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `redis-server <conf> --sentinel` watching `primaryPort` as `zart`. */
async function startSentinel(primaryPort: string): Promise<number> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "zart-sentinel-"));
  const conf = join(dir, "sentinel.conf");
  writeFileSync(
    conf,
    [
      `port ${port}`,
      "bind 127.0.0.1",
      `sentinel monitor zart 127.0.0.1 ${primaryPort} 1`,
      "sentinel down-after-milliseconds zart 1000",
      "sentinel failover-timeout zart 5000",
    ].join("\n"),
  );
  const child = spawn("redis-server", [conf, "--sentinel"], { stdio: "ignore" });
  cleanups.push(async () => {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });
  const admin = new Redis(port, "127.0.0.1", { lazyConnect: true, retryStrategy: () => 50 });
  admin.on("error", () => {});
  const giveUp = Date.now() + 10_000;
  while (Date.now() < giveUp) {
    try {
      await admin.connect().catch(() => undefined);
      const primary = (await admin.call("SENTINEL", "get-master-addr-by-name", "zart")) as string[] | null;
      if (primary) break;
    } catch {
      await sleep(50);
    }
  }
  admin.disconnect();
  return port;
}

const echo = defineTask({
  name: "echo",
  async run(ctx, n: number) {
    return await ctx.step("double", async () => n * 2);
  },
});

describe("Redis Sentinel", () => {
  it.skipIf(!redisServerInstalled)("options pass through, and the store follows a failover", async () => {
    const primary = await startRedisServer(["--save", "", "--appendonly", "no"]);
    cleanups.push(() => primary.stop());
    const primaryPort = new URL(primary.url).port;
    const replica = await startRedisServer([
      "--save",
      "",
      "--appendonly",
      "no",
      "--replicaof",
      "127.0.0.1",
      primaryPort,
    ]);
    cleanups.push(() => replica.stop());
    const sentinelPort = await startSentinel(primaryPort);
    const scheduler = new RedisScheduler({
      url: primary.url,
      logger: silentLogger,
      redisOptions: {
        sentinels: [{ host: "127.0.0.1", port: sentinelPort }],
        name: "zart",
        reconnectOnError: (error) => error.message.startsWith("READONLY"),
      },
    });
    cleanups.push(() => scheduler.close());
    await scheduler.migrate();
    const registry = new TaskRegistry().register(echo);
    const client = new DurableScheduler(scheduler, { registry });
    await client.start("before", "echo", 1);
    const replicaAdmin = new Redis(replica.url);
    cleanups.push(async () => void replicaAdmin.disconnect());
    while (!(await replicaAdmin.info("replication")).includes("master_link_status:up")) await sleep(20);
    // Let the replica catch up with "before", then fail over.
    const primaryAdmin = new Redis(primary.url);
    await primaryAdmin.wait(1, 2_000);
    primaryAdmin.disconnect();
    const sentinel = new Redis(sentinelPort, "127.0.0.1");
    cleanups.push(async () => void sentinel.disconnect());
    await sentinel.call("SENTINEL", "failover", "zart");
    while (!(await replicaAdmin.info("replication")).includes("role:master")) await sleep(50);
    const worker = new Worker({ scheduler, registry, pollInterval: 50, logger: silentLogger });
    await worker.start();
    try {
      // Writes go to the promoted replica: starting and running work just carries on.
      const giveUp = Date.now() + 30_000;
      for (;;) {
        try {
          await client.start("after", "echo", 2);
          break;
        } catch (error) {
          if (Date.now() > giveUp) throw error;
          await sleep(100);
        }
      }
      while ((await scheduler.listExecutions({ status: "completed", limit: 10, offset: 0 })).length < 2) {
        if (Date.now() > giveUp) throw new Error("executions did not complete after the failover");
        await sleep(50);
      }
    } finally {
      await worker.stop();
    }
    expect((await replicaAdmin.info("replication")).includes("role:master")).toBe(true);
    expect((await client.status("after"))?.result).toBe(4);
  });
});
