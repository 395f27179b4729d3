/**
 * One worker process of the clock-skew fault test (`bench/test/faults/clock-skew.test.ts`):
 * `skew-worker <config JSON>` (see {@link SkewWorkerConfig}). Its clock is the system clock moved
 * by `skewMs`; the store gets it as `clock` with the test's `timeSource`. Every step body run, lost
 * lease, parked sleep and wake-up goes to the ledger file; prints `ready` once polling, stops
 * gracefully on SIGTERM.
 */
import { appendFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { type Clock, defineTask, type Scheduler, silentLogger, TaskRegistry, Worker } from "@zart/core";
import { PostgresScheduler } from "@zart/store-postgres";
import { RedisScheduler } from "@zart/store-redis";
import { Redis } from "ioredis";
import pg from "pg";
import { SKEW_TASK, type SkewInput, type SkewWorkerConfig } from "./skew-config.js";

const config = JSON.parse(process.argv[2] ?? "{}") as SkewWorkerConfig;
const clock: Clock = { now: () => new Date(Date.now() + config.skewMs) };
const line = (text: string) => appendFileSync(config.ledger, `${text}\n`);

let scheduler: Scheduler;
let storeTime: () => Promise<number>;
if (config.store === "postgres") {
  scheduler = new PostgresScheduler({
    connectionString: config.url,
    schema: config.namespace,
    clock,
    timeSource: config.timeSource,
    logger: silentLogger,
  });
  const pool = new pg.Pool({ connectionString: config.url, max: 2 });
  storeTime = async () =>
    (await pool.query<{ ms: number }>("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms"))
      .rows[0]!.ms;
} else {
  scheduler = new RedisScheduler({
    url: config.url,
    prefix: config.namespace,
    clock,
    timeSource: config.timeSource,
    logger: silentLogger,
  });
  const redis = new Redis(config.url);
  storeTime = async () => {
    const [seconds, micros] = await redis.time();
    return Number(seconds) * 1000 + Number(micros) / 1000;
  };
}

const task = defineTask({
  name: SKEW_TASK,
  async run(ctx, input: SkewInput) {
    await ctx.step("work", async () => {
      line(`ran ${ctx.executionId} work ${config.workerId} ${Date.now()}`);
      await sleep(input.workMs);
      return null;
    });
    await ctx.sleep("nap", input.sleepMs);
    await ctx.step("after", async () => {
      line(`ran ${ctx.executionId} after ${config.workerId} ${Date.now()}`);
      line(`woke ${ctx.executionId} ${await storeTime()} ${config.workerId}`);
      return null;
    });
    return "done";
  },
});

const worker = new Worker({
  scheduler,
  registry: new TaskRegistry().register(task),
  workerId: config.workerId,
  concurrency: config.concurrency,
  pollInterval: config.pollMs,
  leaseDuration: config.leaseMs,
  logger: silentLogger,
  hooks: {
    attemptEnded(info) {
      if (info.outcome === "lost" || info.outcome === "crashed") {
        line(`${info.outcome} ${info.executionId} ${config.workerId}`);
      }
    },
    suspended(info) {
      if (info.wakeAt !== undefined)
        line(`suspend ${info.executionId} ${info.wakeAt.getTime()} ${config.workerId}`);
    },
  },
});
await worker.start();
process.stdout.write("ready\n");

process.once("SIGTERM", () => {
  void worker
    .stop()
    .then(() => scheduler.close())
    .then(() => process.exit(0));
});
