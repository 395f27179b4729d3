import { type Clock, ManualClock, StoreClock, ValidationError } from "@zart/core";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { REDIS_URL, redisAvailable, testScheduler, uniquePrefix } from "./redis-env.js";

const HOUR = 3_600_000;
const PREFIX = uniquePrefix("time");

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

/** The server's `TIME`, bracketed by `clock` read before and after (ms). */
async function bracket(clock: Clock): Promise<{ before: number; server: number; after: number }> {
  const client = new Redis(REDIS_URL);
  try {
    await client.ping();
    const before = clock.now().getTime();
    const [seconds, micros] = await client.time();
    const after = clock.now().getTime();
    return { before, server: Number(seconds) * 1000 + Number(micros) / 1000, after };
  } finally {
    client.disconnect();
  }
}

/** `clock` agrees with the server within `slackMs` (the round trips' error, far below the hour of skew). */
async function expectInStep(clock: Clock, slackMs = 1_000): Promise<void> {
  const { before, server, after } = await bracket(clock);
  expect(server).toBeGreaterThanOrEqual(before - slackMs);
  expect(server).toBeLessThanOrEqual(after + slackMs);
}

describe.skipIf(!redisAvailable)("timeSource", () => {
  it('defaults to "database" without a clock, and to the clock as is with one', async () => {
    const own = testScheduler({ prefix: PREFIX });
    const manual = new ManualClock();
    const driven = testScheduler({ prefix: PREFIX, clock: manual });
    try {
      expect(own.clock).toBeInstanceOf(StoreClock);
      expect(driven.clock).toBe(manual);
    } finally {
      await own.close();
      await driven.close();
    }
  });

  it("refuses an unknown time source", () => {
    expect(() => testScheduler({ prefix: PREFIX, timeSource: "ntp" as never })).toThrow(ValidationError);
  });

  it('"database" follows the server clock from a local clock an hour off, and through a step of it', async () => {
    const local = skewedClock(-HOUR);
    const scheduler = testScheduler({ prefix: PREFIX, clock: local, timeSource: "database" });
    try {
      await scheduler.clock.ready?.();
      const clock = scheduler.clock as StoreClock;
      expect(Math.abs(clock.offsetMs - HOUR)).toBeLessThan(1_000);
      expect(clock.errorMs).toBeLessThan(1_000);
      await expectInStep(clock);
      local.jump(2 * HOUR);
      await expectInStep(clock);
      await clock.refresh();
      expect(Math.abs(clock.offsetMs + HOUR)).toBeLessThan(1_000);
      await expectInStep(clock);
    } finally {
      await scheduler.close();
    }
  });

  it('"local" keeps the skew: the clock given is used as is', async () => {
    const scheduler = testScheduler({ prefix: PREFIX, clock: skewedClock(HOUR), timeSource: "local" });
    try {
      const { before, server } = await bracket(scheduler.clock);
      expect(before - server).toBeGreaterThan(HOUR - 60_000);
    } finally {
      await scheduler.close();
    }
  });
});
