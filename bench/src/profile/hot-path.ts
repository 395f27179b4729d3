/**
 * A fixed, small workload for profiling the worker's hot path (see `README.md` here): N executions
 * of a task of `--steps` no-op steps, run by one `Worker` (concurrency 32, library defaults
 * otherwise) on the memory store, on Redis (`BENCH_REDIS_URL`, a prefix of its own, removed at the
 * end) or on Postgres (a database of its own, `profile_hotpath`).
 *
 *   tsx src/profile/hot-path.ts --store postgres --phase seed --count 300 --steps 3
 *   valgrind --tool=callgrind … node --import tsx src/profile/hot-path.ts --store postgres --phase run …
 *
 * `--phase seed` (Postgres) recreates the database and starts the executions; `--phase run` runs
 * them to completion and prints statements, commits and WAL bytes per execution (WAL records that
 * touch this database's relations, through `pg_walinspect`). On memory the seed happens in the run
 * process (`--phase seed` alone gives the seed's own cost, to subtract). On Redis likewise, and the
 * Redis server's CPU per execution of the measured window is printed too (`INFO cpu`: use a
 * server of your own, or it includes everyone's commands).
 */

import { spawnSync } from "node:child_process";
import { DurableScheduler, defineTask, type Logger, type Scheduler, TaskRegistry, Worker } from "@zart/core";
import { Redis } from "ioredis";
import pg from "pg";
import { startTracing } from "../systems/zart-tracing.js";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ""), process.argv[i + 1]!);
const store = args.get("store") ?? "memory";
const phase = args.get("phase") ?? "run";
const count = Number(args.get("count") ?? 300);
const steps = Number(args.get("steps") ?? 3);
const base = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const database = "profile_hotpath";
/** Executions run first to warm the JIT up, outside the measured window (0 = none). */
const warm = Number(args.get("warm") ?? 0);
const url = base.replace(/\/[^/]*$/, `/${database}`);
/** `--tracing 1`: the worker runs with `tracingHooks` on an SDK tracer, as in W10. */
const tracing = args.get("tracing") === "1" ? startTracing() : undefined;

const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (f, m) => console.error(m, f),
};
let done = 0;
let target = 0;
let finished: () => void = () => {};

const registry = new TaskRegistry().register(
  defineTask<{ n: number }, void>({
    name: "profile",
    async run(ctx) {
      for (let i = 0; i < steps; i++) await ctx.step(`s${i}`, async () => i);
      if (++done === target) finished();
    },
  }),
);

/** Counts statements sent through `pool` (pool.query and checked-out clients). */
function countingPool(): { pool: pg.Pool; statements: () => number } {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  let statements = 0;
  const wrap = <T extends { query: (...a: never[]) => unknown }>(target: T): void => {
    const query = target.query.bind(target) as (...a: unknown[]) => unknown;
    (target as { query: unknown }).query = (...a: unknown[]) => {
      statements++;
      return query(...a);
    };
  };
  pool.on("connect", (client) => wrap(client));
  return { pool, statements: () => statements };
}

const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const redisPrefix = `zprofile-${process.pid}:`;

async function openScheduler(pool?: pg.Pool): Promise<Scheduler> {
  if (store === "memory") return new (await import("@zart/store-memory")).MemoryScheduler();
  if (store === "redis") {
    const { RedisScheduler } = await import("@zart/store-redis");
    return new RedisScheduler({ url: redisUrl, prefix: redisPrefix, logger: quiet });
  }
  const { PostgresScheduler } = await import("@zart/store-postgres");
  return new PostgresScheduler({ pool: pool!, schema: "zart", logger: quiet });
}

async function seed(scheduler: Scheduler, n: number, prefix = "e"): Promise<void> {
  const durable = new DurableScheduler(scheduler, { registry });
  // `startMany` takes at most 10,000 items a call.
  for (let first = 0; first < n; first += 5_000) {
    const items = Array.from({ length: Math.min(5_000, n - first) }, (_, i) => ({
      executionId: `${prefix}${first + i}`,
      taskName: "profile",
      data: { n: first + i },
    }));
    await durable.startMany(items);
  }
}

/** Runs executions until `n` more are done. */
async function run(scheduler: Scheduler, n: number): Promise<void> {
  target = done + n;
  const allDone = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const worker = new Worker({
    scheduler,
    registry,
    concurrency: 32,
    logger: quiet,
    ...(tracing ? { hooks: tracing.hooks } : {}),
  });
  await worker.start();
  await allDone;
  await worker.stop();
}

/** Under `valgrind --tool=callgrind --instr-atstart=no`: counts instructions from here on / no more. */
function callgrind(on: boolean): void {
  if (!process.env.PROFILE_CALLGRIND) return;
  spawnSync("callgrind_control", ["-i", on ? "on" : "off", String(process.pid)], { stdio: "ignore" });
}

/** Warms up on `warm` executions, then starts `count` more (run by `measured`). */
async function prepare(scheduler: Scheduler): Promise<void> {
  await scheduler.migrate();
  if (warm > 0) {
    await seed(scheduler, warm, "w");
    await run(scheduler, warm);
  }
  await seed(scheduler, count);
}

/** Runs the `count` executions inside the measured window. */
async function measured(scheduler: Scheduler): Promise<void> {
  const cpu = process.cpuUsage();
  callgrind(true);
  await run(scheduler, count);
  callgrind(false);
  const used = process.cpuUsage(cpu);
  console.log(`worker process CPU ${((used.user + used.system) / 1000 / count).toFixed(3)} ms/execution`);
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 1500));

/** The Redis server's CPU seconds so far (user + system). */
async function redisCpu(admin: Redis): Promise<number> {
  const info = await admin.info("cpu");
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return field("used_cpu_user") + field("used_cpu_sys");
}

async function runOnRedis(): Promise<void> {
  const admin = new Redis(redisUrl);
  const scheduler = await openScheduler();
  await prepare(scheduler);
  const before = await redisCpu(admin);
  await measured(scheduler);
  const used = (await redisCpu(admin)) - before;
  console.log(`Redis server CPU ${((used * 1000) / count).toFixed(3)} ms/execution`);
  await scheduler.close();
  let cursor = "0";
  do {
    const [next, keys] = await admin.scan(cursor, "MATCH", `${redisPrefix}*`, "COUNT", 1000);
    if (keys.length > 0) await admin.unlink(...keys);
    cursor = next;
  } while (cursor !== "0");
  await admin.quit();
}

async function main(): Promise<void> {
  if (store === "redis") return runOnRedis();
  if (store === "memory") {
    const scheduler = await openScheduler();
    await prepare(scheduler);
    await measured(scheduler);
    await scheduler.close();
    return;
  }
  if (phase === "seed") {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const { pool } = countingPool();
    await pool.query("CREATE EXTENSION IF NOT EXISTS pg_walinspect");
    const scheduler = await openScheduler(pool);
    await scheduler.migrate();
    await scheduler.close();
    await pool.end();
    return;
  }
  const setup = countingPool();
  const first = await openScheduler(setup.pool);
  await prepare(first);
  await first.close();
  await setup.pool.end();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const stats = async () =>
    (
      await admin.query<{ commits: string; lsn: string; oid: string }>(
        "SELECT xact_commit AS commits, pg_current_wal_lsn() AS lsn, datid AS oid FROM pg_stat_database WHERE datname = $1",
        [database],
      )
    ).rows[0]!;
  // Backends report their counters when they exit (or at most once a second).
  await pause();
  const before = await stats();
  const { pool, statements } = countingPool();
  const scheduler = await openScheduler(pool);
  await measured(scheduler);
  await scheduler.close();
  await pool.end();
  await pause();
  const after = await stats();
  const wal = await admin.query<{ bytes: string; records: string }>(
    `SELECT coalesce(sum(record_length), 0) AS bytes, count(*) AS records FROM pg_get_wal_records_info($1, $2)
     WHERE block_ref LIKE $3`,
    [before.lsn, after.lsn, `%/${before.oid}/%`],
  );
  // Which relations and record kinds the WAL went to (for finding what to trim).
  const detail = await admin.query<{ relation: string; kind: string; records: string; bytes: string }>(
    `SELECT coalesce(c.relname, r.rel) AS relation, w.resource_manager || ':' || w.record_type AS kind,
       count(*) AS records, sum(w.record_length) AS bytes
     FROM pg_get_wal_records_info($1, $2) w
     CROSS JOIN LATERAL (SELECT substring(w.block_ref FROM 'rel [0-9]+/[0-9]+/([0-9]+)') AS rel) r
     LEFT JOIN pg_class c ON c.relfilenode::text = r.rel
     WHERE w.block_ref LIKE $3 GROUP BY 1, 2 ORDER BY sum(w.record_length) DESC`,
    [before.lsn, after.lsn, `%/${before.oid}/%`],
  );
  await admin.end();
  if (process.env.PROFILE_WAL_DETAIL) console.table(detail.rows);
  const per = (n: number) => (n / count).toFixed(3);
  console.log(
    JSON.stringify({
      store,
      count,
      steps,
      statementsPerExecution: per(statements()),
      commitsPerExecution: per(Number(after.commits) - Number(before.commits)),
      walBytesPerExecution: per(Number(wal.rows[0]!.bytes)),
      walRecordsPerExecution: per(Number(wal.rows[0]!.records)),
    }),
  );
}

await main();
