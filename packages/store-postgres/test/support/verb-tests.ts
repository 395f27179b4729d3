import {
  type ClaimedWork,
  type Clock,
  ManualClock,
  type SerializedError,
  type StepWrite,
  type WakeUp,
} from "@zart/core";
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from "vitest";
import { PostgresScheduler } from "../../src/index.js";
import { type TestDatabase, truncate, useTestDatabase } from "./test-database.js";

/**
 * The setup of the verb-by-verb tests (the memory store's cases, on PostgreSQL): a schema of the
 * file's own, emptied before each test, and `setup()` for a fresh scheduler on a manual clock.
 */

export const LEASE_MS = 30_000;
export const BOOM: SerializedError = { name: "Error", message: "boom" };
export const TIMEOUT: SerializedError = {
  name: "EventTimeoutError",
  message: "no event",
  code: "EVENT_TIMEOUT",
};

/** Registers the file's hooks; returns `setup`, which builds one test's world. */
export function useVerbTests(tag: string) {
  let db: TestDatabase;
  const open: PostgresScheduler[] = [];

  beforeAll(async () => {
    db = await useTestDatabase(tag, inject("zartPostgresUrl"));
    const scheduler = new PostgresScheduler({ connectionString: db.url, schema: db.schema });
    await scheduler.migrate();
    await scheduler.close();
  });

  beforeEach(async () => {
    await truncate(db.admin, db.schema);
  });

  afterEach(async () => {
    for (const scheduler of open.splice(0)) await scheduler.close();
  });

  afterAll(async () => {
    await db?.dispose();
  });

  const newScheduler = (clock: Clock): PostgresScheduler => {
    const scheduler = new PostgresScheduler({
      connectionString: db.url,
      schema: db.schema,
      clock,
      poolSize: 4,
    });
    open.push(scheduler);
    return scheduler;
  };

  return function setup() {
    const clock = new ManualClock();
    const scheduler = newScheduler(clock);
    const now = () => clock.now();
    const start = (executionId: string, runAt = now()) =>
      scheduler.createExecution({ executionId, taskName: "task", payload: '{"n":1}', runAt }, now());
    const claim = (workerId = "w1", limit = 10) =>
      scheduler.claim({ workerId, limit, leaseMs: LEASE_MS, now: now() });
    /** Claims exactly one unit and returns it. */
    const claimOne = async (workerId = "w1"): Promise<ClaimedWork> => {
      const work = await claim(workerId, 1);
      expect(work).toHaveLength(1);
      return work[0]!;
    };
    const step = (position: number, status: StepWrite["status"] = "completed"): StepWrite => ({
      position,
      name: `s${position}`,
      kind: "step",
      status,
      result: status === "completed" ? String(position) : undefined,
      attempts: 1,
    });
    const details = async (id: string) => (await scheduler.getExecution(id))!;
    return { clock, scheduler, now, start, claim, claimOne, step, details };
  };
}

/** Collects wake-ups delivered to this scheduler's subscribers. */
export function recordWakeUps(scheduler: PostgresScheduler): WakeUp[] {
  const wakes: WakeUp[] = [];
  scheduler.subscribe((wake) => wakes.push(wake));
  return wakes;
}

/** Lets queued microtasks and timers run. */
export const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
