/**
 * What concurrent `durable.start()` calls of one process cost (issue #20 item 1): N starts on
 * Postgres (a database of its own, `profile_enqueue`, a fresh schema per run), two shapes:
 *
 * - `burst`: all N issued at once (`Promise.all`), e.g. a request fanning out;
 * - `callers`: `--callers` concurrent callers, each starting its share one after the other, e.g.
 *   an HTTP server with that many clients in flight.
 *
 *   tsx --conditions=source src/profile/concurrent-starts.ts --count 2000 --callers 32 --runs 3
 *
 * `--direct true` calls the store's `createExecution` per start instead, which is what `start` did
 * before starts were coalesced: the "before" figures, on the same machine and load.
 *
 * Prints per shape and run: wall time, starts/s and commits (`pg_stat_database.xact_commit` of the
 * database, read after the pool closed, so every backend has flushed its counters).
 */

import { setTimeout as sleep } from "node:timers/promises";
import { DurableScheduler } from "@zart/core";
import { PostgresScheduler } from "@zart/store-postgres";
import pg from "pg";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ""), process.argv[i + 1]!);
const count = Number(args.get("count") ?? 2000);
const callers = Number(args.get("callers") ?? 32);
const runs = Number(args.get("runs") ?? 3);
const direct = args.get("direct") === "true";
const base = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const database = "profile_enqueue";
const url = base.replace(/\/[^/]*$/, `/${database}`);

async function ensureDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (rowCount === 0) await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
}

async function commits(): Promise<number> {
  await sleep(300); // closed backends flush their statistics as they exit
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The statistics a backend flushed before it exited; this read's own commit is not counted yet.
    const { rows } = await client.query<{ commits: string }>(
      "SELECT xact_commit::text AS commits FROM pg_stat_database WHERE datname = $1",
      [database],
    );
    return Number(rows[0]?.commits);
  } finally {
    await client.end();
  }
}

async function run(shape: "burst" | "callers", index: number): Promise<void> {
  const schema = `enqueue_${shape}_${index}`;
  await dropSchema(schema);
  const setup = new PostgresScheduler({ connectionString: url, schema });
  await setup.migrate();
  await setup.close();
  const scheduler = new PostgresScheduler({ connectionString: url, schema });
  const durable = new DurableScheduler(scheduler);
  await scheduler.ping(); // connect before measuring
  const before = await commits();
  let failed = 0;
  const startOne = (i: number): Promise<unknown> => {
    if (!direct) return durable.start(`e-${i}`, "job", { i });
    const now = scheduler.clock.now();
    return scheduler.createExecution(
      { executionId: `e-${i}`, taskName: "job", payload: JSON.stringify({ i }), runAt: now },
      now,
    );
  };
  const start = (i: number) =>
    startOne(i).catch((error: Error) => {
      if (failed++ === 0) console.log(`  first failure: ${error.message}`);
    });
  const began = performance.now();
  if (shape === "burst") {
    await Promise.all(Array.from({ length: count }, (_, i) => start(i)));
  } else {
    const share = Math.ceil(count / callers);
    await Promise.all(
      Array.from({ length: callers }, async (_, c) => {
        for (let i = c * share; i < Math.min(count, (c + 1) * share); i++) await start(i);
      }),
    );
  }
  const ms = performance.now() - began;
  await scheduler.close();
  // The delta also counts the `before` read, the ping and the close: 3 commits (`--count 0`).
  const used = (await commits()) - before - 3;
  console.log(
    `${direct ? "direct " : ""}${shape.padEnd(8)} run ${index}: ${count} starts in ${ms.toFixed(0)} ms ` +
      `(${Math.round((count / ms) * 1000)}/s), ${used} commits (${(used / count).toFixed(3)} per start)` +
      (failed > 0 ? `, ${failed} failed` : ""),
  );
  await dropSchema(schema);
}

async function dropSchema(schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
}

await ensureDatabase();
for (const shape of ["burst", "callers"] as const) {
  for (let i = 0; i < runs; i++) await run(shape, i);
}
