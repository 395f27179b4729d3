import { setTimeout as sleep } from "node:timers/promises";
import { DurableScheduler, type Scheduler, silentLogger } from "@zart/core";
import type { WakeUp } from "@zart/core/store";
import { PostgresScheduler } from "@zart/store-postgres";
import { RedisScheduler } from "@zart/store-redis";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  type BodyRun,
  expectedResult,
  PARTITION_STEPS,
  partitionRun,
} from "../../src/faults/partition-run.js";
import { TcpProxy } from "../../src/faults/tcp-proxy.js";
import { faultScale, storeUrls } from "./fault-env.js";

/**
 * Item 2 of issue #19: one of three workers is cut off from its store (an in-process TCP proxy
 * black-holes its connections) for longer than the lease, several times. Small counts by default;
 * `ZART_FAULTS_FULL=1` runs the full size.
 */
const scale = faultScale(
  { executions: 50, partitions: 3, concurrency: 2 },
  { executions: 500, partitions: 10, concurrency: 5 },
);
const LEASE_MS = 1_000;
const urls = storeUrls();
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** The URL `url` with its port replaced by the proxy's. */
function through(proxy: TcpProxy, url: string): string {
  const parsed = new URL(url);
  parsed.hostname = "127.0.0.1";
  parsed.port = String(proxy.port);
  return parsed.toString();
}

async function postgresStores(): Promise<{ schedulers: [Scheduler, Scheduler, Scheduler]; proxy: TcpProxy }> {
  const base = new URL(urls.postgres!);
  const database = `zart_faults_${process.pid}`;
  const admin = new pg.Client({ connectionString: urls.postgres });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  cleanups.push(async () => {
    const drop = new pg.Client({ connectionString: urls.postgres });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await drop.end();
  });
  base.pathname = `/${database}`;
  const proxy = await TcpProxy.start({ host: base.hostname, port: Number(base.port || 5432) });
  cleanups.push(() => proxy.close());
  const make = (connectionString: string) => {
    const scheduler = new PostgresScheduler({ connectionString, retryWindow: "2s", logger: silentLogger });
    cleanups.push(() => scheduler.close());
    return scheduler;
  };
  const direct = make(base.toString());
  await direct.migrate();
  return { schedulers: [make(through(proxy, base.toString())), direct, make(base.toString())], proxy };
}

async function redisStores(): Promise<{ schedulers: [Scheduler, Scheduler, Scheduler]; proxy: TcpProxy }> {
  const base = new URL(urls.redis!);
  const prefix = `zart-faults-${process.pid}:`;
  cleanups.push(async () => {
    const redis = new Redis(urls.redis!);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });
  const proxy = await TcpProxy.start({ host: base.hostname, port: Number(base.port || 6379) });
  cleanups.push(() => proxy.close());
  const make = (url: string) => {
    const scheduler = new RedisScheduler({ url, prefix, logger: silentLogger });
    cleanups.push(() => scheduler.close());
    return scheduler;
  };
  const direct = make(base.toString());
  await direct.migrate();
  return { schedulers: [make(through(proxy, base.toString())), direct, make(base.toString())], proxy };
}

/** Two runs of one step body overlapped (in this process's event order). */
function overlapping(a: BodyRun, b: BodyRun): boolean {
  const aEnd = a.endSeq ?? Number.POSITIVE_INFINITY;
  const bEnd = b.endSeq ?? Number.POSITIVE_INFINITY;
  return a.startSeq < bEnd && b.startSeq < aEnd;
}

const stores = [
  { name: "postgres", url: urls.postgres, open: postgresStores },
  { name: "redis", url: urls.redis, open: redisStores },
];

describe.each(stores)("network partition between a worker and $name", ({ url, open }) => {
  it.skipIf(url === undefined)(
    `${scale.executions} executions, ${scale.partitions} partitions of one worker of three, longer than the lease`,
    async () => {
      const { schedulers, proxy } = await open();
      const wakes: WakeUp[] = [];
      schedulers[0].subscribe((wake) => wakes.push(wake));
      const report = await partitionRun({
        schedulers,
        proxy,
        executions: scale.executions,
        partitions: scale.partitions,
        leaseMs: LEASE_MS,
        partitionMs: LEASE_MS * 2.5,
        concurrency: scale.concurrency,
      });
      console.info(
        `[faults] partition: ${scale.executions} executions, ${scale.partitions} partitions, ` +
          `${report.runs.length} step bodies run, ${report.abortedByLease} aborted by the lease, ` +
          `${report.completedAfterMs} ms; logged ${JSON.stringify(report.logged)}`,
      );

      // Nothing lost, nothing stored twice: every execution completed with the right result, each
      // step persisted once.
      const all = await schedulers[1].listExecutions({ limit: 10_000, offset: 0 });
      expect(all).toHaveLength(scale.executions);
      for (const { execution, steps } of all) {
        expect(execution.status).toBe("completed");
        expect(execution.result).toBe(String(expectedResult(Number(execution.executionId.slice(1)))));
        expect(steps.map((s) => [s.name, s.status])).toEqual(
          Array.from({ length: PARTITION_STEPS }, (_, i) => [`s${i}`, "completed"]),
        );
      }
      // The cut-off worker aborted the units whose leases expired while it could not renew them.
      expect(report.abortedByLease).toBeGreaterThan(0);
      // Never two runs of one step body at once: the cut-off worker's was aborted before its new
      // owner started it.
      const byStep = new Map<string, BodyRun[]>();
      for (const run of report.runs) {
        const key = `${run.executionId}/${run.step}`;
        byStep.set(key, [...(byStep.get(key) ?? []), run]);
      }
      for (const runs of byStep.values()) {
        for (const [i, a] of runs.entries()) {
          for (const b of runs.slice(i + 1)) {
            expect(
              overlapping(a, b),
              `${a.executionId} step ${a.step} ran on ${a.workerId} and ${b.workerId} at once`,
            ).toBe(false);
          }
        }
      }
      // Push came back: a reset ended in a `reconnected` sweep, and a wake-up from another worker's
      // store reaches the partitioned one again.
      const giveUp = Date.now() + 30_000;
      while (!wakes.some((wake) => wake.reason === "reconnected") && Date.now() < giveUp) await sleep(50);
      expect(wakes.some((wake) => wake.reason === "reconnected")).toBe(true);
      const before = wakes.length;
      const seen = () => wakes.slice(before).some((wake) => wake.executionId === "after-heal");
      await new DurableScheduler(schedulers[1]).start("after-heal", "partitioned-chain", 1);
      while (!seen() && Date.now() < giveUp) await sleep(50);
      expect(seen()).toBe(true);
    },
    300_000,
  );
});
