import { type Clock, ManualClock, StoreClock, silentLogger, ValidationError } from "@zart/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PostgresScheduler } from "../src/index.js";
import { type TestDatabase, useTestDatabase } from "./support/test-database.js";

let db: TestDatabase;
const HOUR = 3_600_000;

beforeAll(async () => {
  db = await useTestDatabase("time", inject("zartPostgresUrl"));
});

afterAll(async () => {
  await db?.dispose();
});

/** A clock `offsetMs` away from the system clock, and able to jump. */
function skewedClock(offsetMs: number): Clock & { jump(ms: number): void } {
  let offset = offsetMs;
  return {
    now: () => new Date(Date.now() + offset),
    jump: (ms) => {
      offset += ms;
    },
  };
}

/** The server's clock, bracketed by `clock` read before and after (ms). */
async function bracket(clock: Clock): Promise<{ before: number; server: number; after: number }> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const before = clock.now().getTime();
    const { rows } = await client.query<{ ms: number }>(
      "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms",
    );
    const after = clock.now().getTime();
    return { before, server: rows[0]!.ms, after };
  } finally {
    await client.end();
  }
}

/** `clock` agrees with the server within `slackMs` (the round trips' error, far below the hour of skew). */
async function expectInStep(clock: Clock, slackMs = 1_000): Promise<void> {
  const { before, server, after } = await bracket(clock);
  expect(server).toBeGreaterThanOrEqual(before - slackMs);
  expect(server).toBeLessThanOrEqual(after + slackMs);
}

describe("timeSource", () => {
  it('defaults to "database" without a clock, and to the clock as is with one', async () => {
    const own = new PostgresScheduler({ connectionString: db.url, logger: silentLogger });
    const manual = new ManualClock();
    const driven = new PostgresScheduler({ connectionString: db.url, clock: manual, logger: silentLogger });
    try {
      expect(own.clock).toBeInstanceOf(StoreClock);
      expect(driven.clock).toBe(manual);
    } finally {
      await own.close();
      await driven.close();
    }
  });

  it("refuses an unknown time source", () => {
    expect(() => new PostgresScheduler({ connectionString: db.url, timeSource: "ntp" as never })).toThrow(
      ValidationError,
    );
  });

  it('"database" follows the server clock from a local clock an hour off, and through a step of it', async () => {
    const local = skewedClock(HOUR);
    const scheduler = new PostgresScheduler({
      connectionString: db.url,
      clock: local,
      timeSource: "database",
      logger: silentLogger,
    });
    try {
      await scheduler.clock.ready?.();
      const clock = scheduler.clock as StoreClock;
      expect(Math.abs(clock.offsetMs + HOUR)).toBeLessThan(1_000);
      expect(clock.errorMs).toBeLessThan(1_000);
      await expectInStep(clock);
      // The local clock is stepped back two hours: the store clock notices, holds, and re-measures.
      local.jump(-2 * HOUR);
      await expectInStep(clock);
      await clock.refresh();
      expect(Math.abs(clock.offsetMs - HOUR)).toBeLessThan(1_000);
      await expectInStep(clock);
    } finally {
      await scheduler.close();
    }
  });

  it('"local" keeps the skew: the clock given is used as is', async () => {
    const scheduler = new PostgresScheduler({
      connectionString: db.url,
      clock: skewedClock(HOUR),
      timeSource: "local",
      logger: silentLogger,
    });
    try {
      const { before, server } = await bracket(scheduler.clock);
      expect(before - server).toBeGreaterThan(HOUR - 60_000);
    } finally {
      await scheduler.close();
    }
  });
});
