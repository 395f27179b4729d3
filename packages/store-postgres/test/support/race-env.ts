import { ManualClock } from "@zart/core";
import { afterAll, afterEach, beforeAll, beforeEach, inject } from "vitest";
import { PostgresScheduler } from "../../src/index.js";
import { type TestDatabase, truncate, useTestDatabase } from "./test-database.js";

const LEASE_MS = 30_000;

/** The world of a race test file: a schema of its own and schedulers with pools of their own. */
export interface RaceEnv {
  readonly db: TestDatabase;
  /** Every scheduler made; `open[0]` lives for the whole file, the rest for one test. */
  readonly open: PostgresScheduler[];
  /** A scheduler with a pool of its own (as another process would have). */
  newScheduler(): PostgresScheduler;
  now(): Date;
  /** Claims up to `limit` units of task "t" now, with the usual lease. */
  claimFor(
    scheduler: PostgresScheduler,
    workerId: string,
    limit: number,
  ): ReturnType<PostgresScheduler["claim"]>;
  /** Creates executions of task "t", due now. */
  start(scheduler: PostgresScheduler, ids: string[]): Promise<void>;
  /** Resolves once `count` sessions of the test schema wait for a lock. */
  waitForLockWaiters(count: number): Promise<void>;
}

/** Registers the file's hooks (a fresh schema per file, emptied before each test) and returns its env. */
export function useRaceEnv(name: string): RaceEnv {
  let db: TestDatabase | undefined;
  const open: PostgresScheduler[] = [];
  const clock = new ManualClock();
  const now = () => clock.now();
  const env: RaceEnv = {
    get db() {
      if (!db) throw new Error("the race database is not ready (beforeAll has not run)");
      return db;
    },
    open,
    newScheduler() {
      const scheduler = new PostgresScheduler({
        connectionString: env.db.url,
        schema: env.db.schema,
        clock,
        poolSize: 4,
      });
      open.push(scheduler);
      return scheduler;
    },
    now,
    claimFor: (scheduler, workerId, limit) =>
      scheduler.claim({ workerId, taskNames: ["t"], limit, leaseMs: LEASE_MS, now: now() }),
    async start(scheduler, ids) {
      for (const executionId of ids) {
        await scheduler.createExecution({ executionId, taskName: "t", payload: "null", runAt: now() }, now());
      }
    },
    async waitForLockWaiters(count) {
      await until(async () => {
        const { rows } = await env.db.admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE wait_event_type = 'Lock' AND query LIKE $1`,
          [`%"${env.db.schema}"%`],
        );
        return (rows[0]?.n ?? 0) >= count;
      });
    },
  };
  beforeAll(async () => {
    db = await useTestDatabase(name, inject("zartPostgresUrl"));
    await env.newScheduler().migrate();
  });
  beforeEach(async () => {
    await truncate(env.db.admin, env.db.schema);
  });
  afterEach(async () => {
    for (const scheduler of open.splice(1)) await scheduler.close();
  });
  afterAll(async () => {
    for (const scheduler of open.splice(0)) await scheduler.close();
    await db?.dispose();
  });
  return env;
}

/** Polls `condition` every 5 ms; gives up after 10 s. */
export async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  const giveUp = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > giveUp) throw new Error("gave up waiting");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
