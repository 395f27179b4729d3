import { randomBytes } from "node:crypto";
import { silentLogger } from "@zart/core";
import { Redis } from "ioredis";
import { KeyLayout, RedisScheduler, type RedisSchedulerOptions } from "../src/index.js";

/**
 * Where the tests find Redis: `ZART_TEST_REDIS_URL`, else the local default. When the variable is
 * unset and nothing answers there, the Redis tests are skipped with a loud message, unless
 * `ZART_TEST_REQUIRE_ALL=1` (CI), which makes a missing server fail the run.
 */
export const REDIS_URL = process.env.ZART_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function probe(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function availability(): Promise<boolean> {
  if (await probe(REDIS_URL)) return true;
  const why = `no Redis answers at ${REDIS_URL}`;
  if (process.env.ZART_TEST_REDIS_URL !== undefined || process.env.ZART_TEST_REQUIRE_ALL === "1") {
    throw new Error(
      `@zart/store-redis tests: ${why} (ZART_TEST_REDIS_URL or ZART_TEST_REQUIRE_ALL=1 is set).`,
    );
  }
  console.warn(
    `\n${"!".repeat(78)}\n!! @zart/store-redis: SKIPPING the Redis tests: ${why}.\n!! Start one (redis-server) or set ZART_TEST_REDIS_URL.\n${"!".repeat(78)}\n`,
  );
  return false;
}

/** Whether the Redis tests run (probed once per test file). */
export const redisAvailable = await availability();

/** A fresh prefix, so test files never see each other's keys on the shared server. */
export function uniquePrefix(label: string): string {
  return `zart-test-${label}-${randomBytes(4).toString("hex")}:`;
}

/** Deletes every key of `prefix` (SCAN is fine here: tests only; the store never scans). */
export async function deleteKeyspace(prefix: string, url = REDIS_URL): Promise<void> {
  const client = new Redis(url);
  try {
    const pattern = new KeyLayout(prefix).pattern;
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}

/** A scheduler on the test server with a silent logger (the persistence warning is expected there). */
export function testScheduler(options: Partial<RedisSchedulerOptions> & { prefix: string }): RedisScheduler {
  return new RedisScheduler({ url: REDIS_URL, logger: silentLogger, ...options } as RedisSchedulerOptions);
}
