import { type Logger, StoreUnavailableError, silentLogger } from "@zart/core";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisScheduler } from "../src/index.js";
import { deleteKeyspace, REDIS_URL, redisAvailable, uniquePrefix } from "./redis-env.js";
import { redisServerInstalled, startRedisServer, type TestRedisServer } from "./redis-server.js";

/** A logger that records its warnings. */
function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warnings, warn: (_fields: unknown, message: string) => warnings.push(message) };
}

const at = Date.UTC(2030, 0, 1);
const newExecution = (executionId: string) => ({
  executionId,
  taskName: "t",
  payload: "1",
  runAt: new Date(at),
});

describe.skipIf(!redisServerInstalled)("eviction policy (own redis-server processes)", () => {
  const servers: Record<string, TestRedisServer> = {};

  beforeAll(async () => {
    const [lru, lruNoConfig, safeNoConfig] = await Promise.all([
      startRedisServer(["--maxmemory-policy", "allkeys-lru", "--save", "", "--appendonly", "no"]),
      startRedisServer([
        "--maxmemory-policy",
        "allkeys-lru",
        "--save",
        "",
        "--appendonly",
        "no",
        "--rename-command",
        "CONFIG",
        "",
      ]),
      startRedisServer(["--maxmemory-policy", "noeviction", "--save", "", "--rename-command", "CONFIG", ""]),
    ]);
    Object.assign(servers, { lru, lruNoConfig, safeNoConfig });
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
  });

  it("refuses to run on a server that evicts keys, naming the policy to set", async () => {
    const scheduler = new RedisScheduler({ url: servers.lru!.url, logger: silentLogger });
    try {
      const refusal = await scheduler.migrate().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(StoreUnavailableError);
      expect(refusal).toMatchObject({
        code: "STORE_UNAVAILABLE",
        details: { policy: "allkeys-lru", required: "noeviction" },
      });
      expect((refusal as Error).message).toContain("noeviction");
      // Not only migrate(): the first use of any verb checks too, and nothing is written.
      await expect(scheduler.createExecution(newExecution("e1"), new Date(at))).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
      const admin = new Redis(servers.lru!.url);
      try {
        expect(await admin.dbsize()).toBe(0);
        // Once the operator fixes the policy, the same scheduler checks again and runs.
        await admin.config("SET", "maxmemory-policy", "noeviction");
      } finally {
        admin.disconnect();
      }
      await scheduler.createExecution(newExecution("e1"), new Date(at));
      expect((await scheduler.getExecution("e1"))?.execution.status).toBe("pending");
    } finally {
      await scheduler.close();
    }
  });

  it("reads the policy from INFO when CONFIG is disabled, and still refuses an evicting one", async () => {
    const scheduler = new RedisScheduler({ url: servers.lruNoConfig!.url, logger: silentLogger });
    try {
      await expect(scheduler.migrate()).rejects.toMatchObject({
        code: "STORE_UNAVAILABLE",
        details: { policy: "allkeys-lru" },
      });
    } finally {
      await scheduler.close();
    }
  });

  it("runs without CONFIG when INFO shows noeviction (managed Redis)", async () => {
    const logger = recordingLogger();
    const scheduler = new RedisScheduler({ url: servers.safeNoConfig!.url, logger });
    try {
      await scheduler.migrate();
      await scheduler.createExecution(newExecution("e1"), new Date(at));
      expect((await scheduler.getExecution("e1"))?.execution.status).toBe("pending");
      // RDB cannot be read from INFO: no persistence warning rather than a wrong one.
      expect(logger.warnings).toEqual([]);
    } finally {
      await scheduler.close();
    }
  });
});

describe.skipIf(!redisAvailable)("persistence warning (the test server persists nothing)", () => {
  const prefix = uniquePrefix("safety");
  afterAll(() => deleteKeyspace(prefix));

  it("warns once, explaining what a restart would lose", async () => {
    const logger = recordingLogger();
    const admin = new Redis(REDIS_URL);
    const [, save] = (await admin.config("GET", "save")) as string[];
    const [, aof] = (await admin.config("GET", "appendonly")) as string[];
    admin.disconnect();
    const first = new RedisScheduler({ url: REDIS_URL, prefix, logger });
    const second = new RedisScheduler({ url: REDIS_URL, prefix, logger });
    try {
      await first.migrate();
      await first.migrate();
      await second.migrate();
      await second.createExecution(newExecution("e1"), new Date(at));
      if (save === "" && aof === "no") {
        expect(logger.warnings).toHaveLength(1);
        expect(logger.warnings[0]).toMatch(/restart will lose/);
        expect(logger.warnings[0]).toMatch(/appendonly yes/);
      } else {
        expect(logger.warnings).toEqual([]);
      }
    } finally {
      await first.close();
      await second.close();
    }
  });
});
