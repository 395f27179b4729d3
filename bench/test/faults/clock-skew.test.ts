import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Scheduler, silentLogger } from "@zart/core";
import { PostgresScheduler } from "@zart/store-postgres";
import { RedisScheduler } from "@zart/store-redis";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { clockSkewRun } from "../../src/faults/clock-skew-run.js";
import type { SkewWorkerConfig } from "../../src/faults/skew-config.js";
import { faultScale, storeUrls } from "./fault-env.js";

/**
 * Item 1 of issue #19: two worker processes whose clocks are 60 s ahead and 60 s behind share a
 * store under `timeSource: "database"`. Leases are short (a worker 60 s ahead would see every live
 * lease of the other as long expired, were it reading its own clock). Small counts by default;
 * `ZART_FAULTS_FULL=1` runs the full size.
 */
const scale = faultScale({ executions: 100, spreadMs: 3_000 }, { executions: 1_000, spreadMs: 20_000 });
const SKEW_MS = 60_000;
// Far shorter than the skew, long enough that a starved process on a loaded machine keeps its leases.
const LEASE_MS = 10_000;
const POLL_MS = 1_000;
const urls = storeUrls();
const directory = mkdtempSync(join(tmpdir(), "zart-clock-skew-"));
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  rmSync(directory, { recursive: true, force: true });
});

async function postgresStore(): Promise<{ scheduler: Scheduler; namespace: string; url: string }> {
  const namespace = `zart_skew_${process.pid}`;
  const url = urls.postgres!;
  const scheduler = new PostgresScheduler({ connectionString: url, schema: namespace, logger: silentLogger });
  cleanups.push(async () => {
    await scheduler.close();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${namespace} CASCADE`);
    await admin.end();
  });
  await scheduler.migrate();
  return { scheduler, namespace, url };
}

async function redisStore(): Promise<{ scheduler: Scheduler; namespace: string; url: string }> {
  const namespace = `zart-skew-${process.pid}:`;
  const url = urls.redis!;
  const scheduler = new RedisScheduler({ url, prefix: namespace, logger: silentLogger });
  cleanups.push(async () => {
    await scheduler.close();
    const redis = new Redis(url);
    const keys = await redis.keys(`${namespace}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });
  await scheduler.migrate();
  return { scheduler, namespace, url };
}

/** The `q`-quantile of `values` (sorted copy). */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const stores = [
  { name: "postgres" as const, url: urls.postgres, open: postgresStore },
  { name: "redis" as const, url: urls.redis, open: redisStore },
];

describe.each(stores)("clock skew between workers on $name", ({ name, url, open }) => {
  it.skipIf(url === undefined)(
    `${scale.executions} sleepers on two worker processes 60 s ahead and 60 s behind, timeSource "database"`,
    async () => {
      const { scheduler, namespace, url } = await open();
      const worker = (workerId: string, skewMs: number): Omit<SkewWorkerConfig, "ledger"> => ({
        store: name,
        url,
        namespace,
        timeSource: "database",
        skewMs,
        workerId,
        leaseMs: LEASE_MS,
        pollMs: POLL_MS,
        concurrency: 20,
      });
      const report = await clockSkewRun({
        scheduler,
        workers: [worker("ahead", SKEW_MS), worker("behind", -SKEW_MS)],
        ledger: join(directory, `${name}.ledger`),
        executions: scale.executions,
        spreadMs: scale.spreadMs,
      });
      const { lateness } = report;
      const withinPoll = lateness.filter((ms) => ms >= 0 && ms <= POLL_MS).length;
      console.info(
        `[faults] clock skew (${name}): ${scale.executions} executions in ${report.completedAfterMs} ms, ` +
          `units by worker ${JSON.stringify(Object.fromEntries(report.byWorker))}; timer lateness vs the ` +
          `store's clock: min ${Math.round(Math.min(...lateness))} ms, p50 ${Math.round(quantile(lateness, 0.5))}, ` +
          `p99 ${Math.round(quantile(lateness, 0.99))}, max ${Math.round(Math.max(...lateness))}; ` +
          `${withinPoll}/${lateness.length} within pollInterval (${POLL_MS} ms)`,
      );

      // No lease was lost, and every step body ran exactly once (nobody was killed).
      expect(report.lost).toEqual([]);
      expect(report.runs.size).toBe(scale.executions * 2);
      for (const [key, count] of report.runs) expect(count, key).toBe(1);
      // Both workers took part.
      expect(report.byWorker.size).toBe(2);
      // No timer fired early by the store's clock (beyond the offset's measurement error: a worker
      // reading its own clock 60 s ahead would fire every 2–5 s sleep at once), none 60 s late.
      expect(lateness).toHaveLength(scale.executions);
      expect(Math.min(...lateness)).toBeGreaterThan(-250);
      expect(Math.max(...lateness)).toBeLessThan(SKEW_MS / 2);
    },
    300_000,
  );
});
