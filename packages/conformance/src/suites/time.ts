import { defineTask, RetryConfig, ZartError } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { until } from "../harness.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const TIME_TESTS = [
  "keepsLongSleep",
  "neverExtendsPersistedDeadline",
  "sleepUntilWakesAtDate",
  "startedWorkerPicksUpDueSleep",
  "timesOutEventWait",
  "timesOutSleep",
  "countsTimeoutFromFirstStart",
] as const;

/** SPEC §4.2: sleeps and timeouts are persisted deadlines driven by the injected clock. */
export const timeSuite = defineSuite("time", TIME_TESTS, (h, test) => {
  describe("sleeps", () => {
    test("keepsLongSleep", "keeps a 24 h sleep waiting until the clock passes it", async () => {
      let after = 0;
      const task = defineTask({
        name: "long-nap",
        async run(ctx) {
          await ctx.sleep("nap", "24h");
          return ctx.step("after", () => ++after);
        },
      });
      const env = await h.env(task);
      const t0 = env.clock.now();
      await env.durable.start("e1", "long-nap", null);
      await env.run();
      const waiting = await env.durable.status("e1");
      expect(waiting.status).toBe("waiting");
      expect(waiting.wakeAt).toEqual(new Date(t0.getTime() + 24 * HOUR));
      expect(waiting.steps[0]).toMatchObject({ name: "nap", kind: "sleep", status: "waiting" });
      expect(env.worker.activeCount).toBe(0);

      env.clock.advance("23h");
      await env.run();
      env.clock.advance(HOUR - 1);
      await env.run();
      expect(after).toBe(0);
      expect((await env.durable.status("e1")).status).toBe("waiting");

      env.clock.advance(1);
      await env.run();
      expect(after).toBe(1);
      const done = await env.durable.status("e1");
      expect(done).toMatchObject({ status: "completed", result: 1 });
      expect(done.steps[0]).toMatchObject({ status: "completed", completedAt: env.clock.now() });
    });

    test(
      "neverExtendsPersistedDeadline",
      "never extends a persisted deadline: later runs and a task retry keep the first one",
      async () => {
        const task = defineTask({
          name: "fixed-deadline",
          maxRetries: 1,
          retry: RetryConfig.fixed(1, "1m"),
          async run(ctx) {
            await ctx.step("a", () => "a");
            await ctx.sleep("nap", "1h");
            await ctx.step("fails-once", () => {
              if (ctx.attempt === 0) throw new ZartError("ONCE", "first attempt fails");
            });
            return ctx.attempt;
          },
        });
        const env = await h.env(task);
        const t0 = env.clock.now();
        const deadline = new Date(t0.getTime() + HOUR);
        await env.durable.start("e1", "fixed-deadline", null);
        await env.run();
        for (const step of ["20m", "20m", "19m"] as const) {
          env.clock.advance(step);
          await env.run();
          const status = await env.durable.status("e1");
          expect(status.status).toBe("waiting");
          expect(status.wakeAt).toEqual(deadline);
          expect(status.steps[1]?.wakeAt).toEqual(deadline);
        }
        env.clock.set(deadline);
        await env.run();
        expect(await env.durable.status("e1")).toMatchObject({ status: "pending", attempt: 1 });

        env.clock.advance("1m");
        await env.run();
        const done = await env.durable.status("e1");
        expect(done).toMatchObject({ status: "completed", result: 1 });
        expect(done.steps[1]).toMatchObject({ name: "nap", status: "completed", completedAt: deadline });
      },
    );

    test(
      "sleepUntilWakesAtDate",
      "sleepUntil wakes at the given date, and does not suspend for a date already past",
      async () => {
        let afterPast = 0;
        const task = defineTask({
          name: "until",
          async run(ctx, data: { future: string; past: string }) {
            await ctx.sleepUntil("past", new Date(data.past));
            await ctx.step("after-past", () => ++afterPast);
            await ctx.sleepUntil("future", new Date(data.future));
            return "woke";
          },
        });
        const env = await h.env(task);
        const t0 = env.clock.now();
        const future = new Date(t0.getTime() + 90 * MINUTE);
        const past = new Date(t0.getTime() - HOUR);
        await env.durable.start("e1", "until", { future: future.toISOString(), past: past.toISOString() });
        await env.run();
        const waiting = await env.durable.status("e1");
        expect(afterPast).toBe(1);
        expect(waiting.steps.map((s) => [s.name, s.status])).toEqual([
          ["past", "completed"],
          ["after-past", "completed"],
          ["future", "waiting"],
        ]);
        expect(waiting.wakeAt).toEqual(future);
        env.clock.set(new Date(future.getTime() - 1));
        await env.run();
        expect((await env.durable.status("e1")).status).toBe("waiting");
        env.clock.set(future);
        await env.run();
        expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: "woke" });
      },
    );

    test(
      "startedWorkerPicksUpDueSleep",
      "a started worker picks up a sleep that became due when the clock moved, without runUntilIdle",
      async () => {
        const task = defineTask({
          name: "polled",
          async run(ctx) {
            await ctx.sleep("nap", "1h");
            return "awake";
          },
        });
        const env = await h.env(task);
        await env.worker.start();
        await env.durable.start("e1", "polled", null);
        const waiting = async () => (await env.durable.status("e1")).status === "waiting";
        await until(waiting, "the execution to sleep");
        env.clock.advance("1h");
        const done = await env.durable.wait("e1", { timeout: "10s", pollInterval: 5 });
        expect(done).toMatchObject({ status: "completed", result: "awake" });
      },
    );
  });

  describe("task timeout", () => {
    test(
      "timesOutEventWait",
      "fails a task waiting for an event with TaskTimeoutError at its deadline, without retries",
      async () => {
        let after = 0;
        const task = defineTask({
          name: "times-out",
          timeout: "5m",
          maxRetries: 3,
          async run(ctx) {
            await ctx.waitForEvent("never");
            return ctx.step("after", () => ++after);
          },
        });
        const env = await h.env(task);
        const t0 = env.clock.now();
        const deadline = new Date(t0.getTime() + 5 * MINUTE);
        await env.durable.start("e1", "times-out", null);
        await env.run();
        const waiting = await env.durable.status("e1");
        expect(waiting.status).toBe("waiting");
        expect(waiting.wakeAt).toEqual(deadline);

        env.clock.advance(5 * MINUTE - 1);
        await env.run();
        expect((await env.durable.status("e1")).status).toBe("waiting");
        env.clock.advance(1);
        await env.run();
        env.clock.advance("1h");
        await env.run();
        const status = await env.durable.status("e1");
        expect(status).toMatchObject({ status: "failed", attempt: 0, completedAt: deadline });
        expect(status.error?.code).toBe("TASK_TIMEOUT");
        expect(after).toBe(0);
      },
    );

    test("timesOutSleep", "fails a sleeping task at its timeout, not at the end of the sleep", async () => {
      const task = defineTask({
        name: "sleeps-too-long",
        timeout: "5m",
        async run(ctx) {
          await ctx.sleep("nap", "1h");
          return "too late";
        },
      });
      const env = await h.env(task);
      const t0 = env.clock.now();
      await env.durable.start("e1", "sleeps-too-long", null);
      await env.run();
      expect((await env.durable.status("e1")).wakeAt).toEqual(new Date(t0.getTime() + 5 * MINUTE));
      env.clock.advance("5m");
      await env.run();
      const status = await env.durable.status("e1");
      expect(status.status).toBe("failed");
      expect(status.error?.code).toBe("TASK_TIMEOUT");
    });

    test(
      "countsTimeoutFromFirstStart",
      "counts the timeout from the first start, across suspensions and task retries",
      async () => {
        const task = defineTask({
          name: "timeout-spans-retries",
          timeout: "10m",
          maxRetries: 3,
          retry: RetryConfig.fixed(3, "1m"),
          async run(ctx) {
            await ctx.sleep("nap", "3m");
            await ctx.step("fails-once", () => {
              if (ctx.attempt === 0) throw new ZartError("ONCE", "first attempt fails");
            });
            return ctx.waitForEvent("never");
          },
        });
        const env = await h.env(task);
        const t0 = env.clock.now();
        await env.durable.start("e1", "timeout-spans-retries", null);
        await env.run();
        env.clock.advance("3m");
        await env.run();
        expect(await env.durable.status("e1")).toMatchObject({ status: "pending", attempt: 1 });
        env.clock.advance("1m");
        await env.run();
        const waiting = await env.durable.status("e1");
        expect(waiting).toMatchObject({ status: "waiting", attempt: 1 });
        expect(waiting.wakeAt).toEqual(new Date(t0.getTime() + 10 * MINUTE));
        env.clock.advance("6m");
        await env.run();
        const status = await env.durable.status("e1");
        expect(status).toMatchObject({ status: "failed", attempt: 1 });
        expect(status.error?.code).toBe("TASK_TIMEOUT");
      },
    );
  });
});
