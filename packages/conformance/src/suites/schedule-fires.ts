import { defineTask, type OverlapPolicy } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import type { TestEnv } from "../harness.js";

const HOUR = 3_600_000;

/** Starts and ends at once. */
const tick = defineTask({
  name: "tick",
  async run(ctx) {
    return ctx.executionId;
  },
});

/** Runs until its "done" event arrives. */
const long = defineTask({
  name: "long",
  async run(ctx) {
    return ctx.waitForEvent("done");
  },
});

/** The executions a schedule started, oldest fire first. */
async function fired(
  env: TestEnv,
  scheduleId: string,
): Promise<{ id: string; status: string; at: string }[]> {
  const all = await env.durable.listExecutions({ limit: 1000 });
  return all
    .filter((s) => s.executionId.startsWith(`${scheduleId}@`))
    .map((s) => ({ id: s.executionId, status: s.status, at: s.scheduledAt.toISOString() }))
    .sort((a, b) => (a.at < b.at ? -1 : 1));
}

async function hourly(env: TestEnv, overlap: OverlapPolicy): Promise<void> {
  await env.durable.schedules.create({ scheduleId: "s", task: long, cron: "0 * * * *", data: null, overlap });
}

/** Moves the clock by `ms` and lets the worker tick and run until idle. */
async function after(env: TestEnv, ms: number): Promise<void> {
  env.clock.advance(ms);
  await env.run();
}

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const SCHEDULE_FIRES_TESTS = [
  "firesMonthOnceEach",
  "firesOnTimeHourly",
  "skipOverlap",
  "allowOverlap",
  "bufferOneOverlap",
  "cancelPreviousOverlap",
  "catchUpAfterClockJump",
  "pauseStopsFires",
  "followsDaylightSavingTransition",
  "keepsUnregisteredFiresPending",
] as const;

/** Fires driven by the manual clock: exactly once per fire time, overlap and catch-up policies, DST. */
export const scheduleFiresSuite = defineSuite("schedule-fires", SCHEDULE_FIRES_TESTS, (h, test) => {
  describe("schedule fires", () => {
    test(
      "firesMonthOnceEach",
      "starts exactly 720 executions for a month of hourly fires with 4 racing workers",
      async () => {
        const env = await h.env(tick);
        // Each day of clock time at once: every tick catches up 24 fires, 4 workers race to write them.
        const hourlyAll = {
          task: tick,
          cron: "0 * * * *",
          data: {},
          catchup: "all",
          overlap: "allow",
        } as const;
        await env.durable.schedules.create({ scheduleId: "hourly", ...hourlyAll });
        const workers = Array.from({ length: 4 }, () => env.newWorker());
        for (let day = 0; day < 30; day++) {
          env.clock.advance(24 * HOUR);
          await Promise.all(workers.map((worker) => worker.runUntilIdle()));
        }
        const runs = await fired(env, "hourly");
        expect(runs).toHaveLength(720);
        expect(new Set(runs.map((r) => r.at)).size).toBe(720);
        expect(runs.every((r) => r.status === "completed")).toBe(true);
        expect(runs[0]?.id).toBe("hourly@2030-01-01T01:00:00.000Z");
        expect(runs[719]?.id).toBe("hourly@2030-01-31T00:00:00.000Z");
        for (const run of runs) expect(env.claimCount(run.id)).toBe(1);
        const info = await env.durable.schedules.get("hourly");
        expect(info.nextFireAt?.toISOString()).toBe("2030-01-31T01:00:00.000Z");
        expect(info.lastExecution).toEqual({
          executionId: "hourly@2030-01-31T00:00:00.000Z",
          status: "completed",
        });
      },
    );

    test("firesOnTimeHourly", "fires on time hour by hour with racing workers, once per fire", async () => {
      const env = await h.env(tick);
      await env.durable.schedules.create({ scheduleId: "hourly", task: tick, cron: "0 * * * *", data: {} });
      const workers = Array.from({ length: 4 }, () => env.newWorker());
      for (let hour = 0; hour < 24; hour++) {
        env.clock.advance(HOUR);
        await Promise.all(workers.map((worker) => worker.runUntilIdle()));
      }
      const runs = await fired(env, "hourly");
      expect(runs).toHaveLength(24);
      expect(runs.every((r) => r.status === "completed")).toBe(true);
    });

    test("skipOverlap", "skip: no fire while the previous execution runs", async () => {
      const env = await h.env(long);
      await hourly(env, "skip");
      await after(env, HOUR);
      await after(env, HOUR);
      expect((await fired(env, "s")).map((r) => r.at)).toEqual(["2030-01-01T01:00:00.000Z"]);
      await env.durable.offerEvent("s@2030-01-01T01:00:00.000Z", "done", 1);
      await env.run();
      await after(env, HOUR);
      expect((await fired(env, "s")).map((r) => r.status)).toEqual(["completed", "waiting"]);
      expect((await fired(env, "s"))[1]?.at).toBe("2030-01-01T03:00:00.000Z");
    });

    test("allowOverlap", "allow: fires run side by side", async () => {
      const env = await h.env(long);
      await hourly(env, "allow");
      await after(env, HOUR);
      await after(env, HOUR);
      expect((await fired(env, "s")).map((r) => r.status)).toEqual(["waiting", "waiting"]);
    });

    test("bufferOneOverlap", "buffer-one: keeps one fire and starts it when the previous ends", async () => {
      const env = await h.env(long);
      await hourly(env, "buffer-one");
      await after(env, HOUR);
      await after(env, HOUR);
      await after(env, HOUR);
      expect(await fired(env, "s")).toHaveLength(1);
      expect((await env.durable.schedules.get("s")).bufferedFireAt?.toISOString()).toBe(
        "2030-01-01T02:00:00.000Z",
      );
      await env.durable.offerEvent("s@2030-01-01T01:00:00.000Z", "done", 1);
      await env.run();
      const runs = await fired(env, "s");
      expect(runs.map((r) => [r.at, r.status])).toEqual([
        ["2030-01-01T01:00:00.000Z", "completed"],
        ["2030-01-01T02:00:00.000Z", "waiting"],
      ]);
      expect((await env.durable.schedules.get("s")).bufferedFireAt).toBeUndefined();
    });

    test(
      "cancelPreviousOverlap",
      "cancel-previous: a fire cancels the running execution and starts",
      async () => {
        const env = await h.env(long);
        await hourly(env, "cancel-previous");
        await after(env, HOUR);
        await after(env, HOUR);
        expect((await fired(env, "s")).map((r) => r.status)).toEqual(["cancelled", "waiting"]);
      },
    );

    test(
      "catchUpAfterClockJump",
      "catch-up after a clock jump: none, latest, all (bounded by the window)",
      async () => {
        const env = await h.env(tick);
        const base = { task: tick, cron: "0 * * * *", data: null, overlap: "allow" as const };
        await env.durable.schedules.create({ ...base, scheduleId: "none" });
        await env.durable.schedules.create({ ...base, scheduleId: "latest", catchup: "latest" });
        await env.durable.schedules.create({ ...base, scheduleId: "all", catchup: "all" });
        await env.durable.schedules.create({
          ...base,
          scheduleId: "window",
          catchup: "all",
          catchupWindow: "2h",
        });
        await after(env, 5.5 * HOUR);
        expect(await fired(env, "none")).toEqual([]);
        expect((await env.durable.schedules.get("none")).nextFireAt?.toISOString()).toBe(
          "2030-01-01T06:00:00.000Z",
        );
        expect((await fired(env, "latest")).map((r) => r.at)).toEqual(["2030-01-01T05:00:00.000Z"]);
        expect((await fired(env, "all")).map((r) => r.at.slice(11, 13))).toEqual([
          "01",
          "02",
          "03",
          "04",
          "05",
        ]);
        expect((await fired(env, "window")).map((r) => r.at.slice(11, 13))).toEqual(["04", "05"]);
      },
    );

    test(
      "pauseStopsFires",
      "pause stops fires (missed ones are not caught up); resume fires from the next time",
      async () => {
        const env = await h.env(tick);
        await env.durable.schedules.create({ scheduleId: "p", task: tick, cron: "0 * * * *", data: null });
        await env.durable.schedules.pause("p");
        await after(env, 3 * HOUR);
        expect(await fired(env, "p")).toEqual([]);
        expect((await env.durable.schedules.get("p")).paused).toBe(true);
        env.clock.advance(30 * 60_000);
        const resumed = await env.durable.schedules.resume("p");
        expect(resumed.nextFireAt?.toISOString()).toBe("2030-01-01T04:00:00.000Z");
        await after(env, 30 * 60_000);
        expect((await fired(env, "p")).map((r) => r.at)).toEqual(["2030-01-01T04:00:00.000Z"]);
      },
    );

    test(
      "followsDaylightSavingTransition",
      "follows a daylight-saving transition in a non-UTC zone",
      async () => {
        const env = await h.env(tick);
        env.clock.set(new Date("2030-03-29T00:00:00Z"));
        await env.durable.schedules.create({
          scheduleId: "berlin",
          task: tick,
          cron: "0 9 * * *",
          timezone: "Europe/Berlin",
          data: null,
        });
        for (let hour = 0; hour < 4 * 24; hour++) await after(env, HOUR);
        // Europe/Berlin moves from UTC+1 to UTC+2 on 2030-03-31: 09:00 local is 08:00Z, then 07:00Z.
        expect((await fired(env, "berlin")).map((r) => r.at)).toEqual([
          "2030-03-29T08:00:00.000Z",
          "2030-03-30T08:00:00.000Z",
          "2030-03-31T07:00:00.000Z",
          "2030-04-01T07:00:00.000Z",
        ]);
      },
    );

    test(
      "keepsUnregisteredFiresPending",
      "keeps the fires of a task no worker registers pending and visible",
      async () => {
        const env = await h.env(tick);
        const client = env.newClient({});
        await client.schedules.create({
          scheduleId: "orphan",
          task: "nobody",
          cron: "0 * * * *",
          data: null,
        });
        await after(env, 2 * HOUR);
        const info = await client.schedules.get("orphan");
        expect(info.nextFireAt?.toISOString()).toBe("2030-01-01T01:00:00.000Z");
        expect(await fired(env, "orphan")).toEqual([]);
      },
    );
  });
});
