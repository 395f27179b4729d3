import { defineTask, EventTimeoutError, type ZartError } from "@zart/core";
import { expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import type { TestEnv } from "../harness.js";

const HOUR = 3_600_000;

/** Waits for "go" with a 1 h timeout (a timeout is caught into `caught`), sleeps 1 h, waits for "go" again. */
function waitThenWaitAgain(name: string, caught: unknown[]) {
  return defineTask({
    name,
    async run(ctx) {
      let first: unknown;
      try {
        first = await ctx.waitForEvent("go", { timeout: "1h" });
      } catch (error) {
        caught.push(error);
        first = "timed-out";
      }
      await ctx.sleep("pause", "1h");
      return { first, second: await ctx.waitForEvent("go") };
    },
  });
}

/** After `waitThenWaitAgain` timed out and "late" was offered: the wait after the pause takes it. */
async function expectLateEventTakenAfterThePause(env: TestEnv): Promise<void> {
  env.clock.advance("1h");
  await env.run();
  const done = await env.durable.status("e1");
  expect(done).toMatchObject({ status: "completed", result: { first: "timed-out", second: "late" } });
  expect(done.steps.map((s) => [s.name, s.status])).toEqual([
    ["go", "failed"],
    ["pause", "completed"],
    ["go#1", "completed"],
  ]);
  expect(done.events[0]?.consumedAt).toBeInstanceOf(Date);
}

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const EVENT_TIMEOUTS_TESTS = [
  "throwsCatchableTimeout",
  "failsUncaughtTimeout",
  "deadlineWinsOverLateOffer",
  "offerAtDeadlineCounts",
] as const;

/** SPEC §4.3: an event wait's timeout, and offers racing its deadline. */
export const eventTimeoutsSuite = defineSuite("event-timeouts", EVENT_TIMEOUTS_TESTS, (h, test) => {
  test(
    "throwsCatchableTimeout",
    "throws a catchable EventTimeoutError; a late offer stays in the mailbox for a later wait",
    async () => {
      const caught: unknown[] = [];
      const task = waitThenWaitAgain("late", caught);
      const env = await h.env(task);
      const t0 = env.clock.now();
      await env.durable.start("e1", "late", null);
      await env.run();
      const waiting = await env.durable.status("e1");
      expect(waiting.wakeAt).toEqual(new Date(t0.getTime() + HOUR));

      env.clock.advance("1h");
      await env.run();
      expect(caught).toHaveLength(1);
      expect(caught[0]).toBeInstanceOf(EventTimeoutError);
      expect((caught[0] as ZartError).code).toBe("EVENT_TIMEOUT");
      const timedOut = await env.durable.status("e1");
      expect(timedOut.steps[0]).toMatchObject({ name: "go", kind: "event", status: "failed" });
      expect(timedOut.steps[0]?.error?.code).toBe("EVENT_TIMEOUT");

      expect(await env.durable.offerEvent("e1", "go", "late")).toEqual({ status: "delivered" });
      await env.run();
      const sleeping = await env.durable.status("e1");
      expect(sleeping.status).toBe("waiting");
      expect(sleeping.steps[0]?.status).toBe("failed");
      expect(sleeping.events).toHaveLength(1);
      expect(sleeping.events[0]?.consumedAt).toBeUndefined();

      await expectLateEventTakenAfterThePause(env);
      expect(caught).toHaveLength(2);
      expect(caught[1]).toBeInstanceOf(EventTimeoutError);
    },
  );

  test(
    "failsUncaughtTimeout",
    "fails the execution with EVENT_TIMEOUT when the task does not catch it",
    async () => {
      const task = defineTask({
        name: "uncaught-timeout",
        async run(ctx) {
          return ctx.waitForEvent("go", { timeout: "30m" });
        },
      });
      const env = await h.env(task);
      await env.durable.start("e1", "uncaught-timeout", null);
      await env.run();
      env.clock.advance("30m");
      await env.run();
      const status = await env.durable.status("e1");
      expect(status.status).toBe("failed");
      expect(status.error?.code).toBe("EVENT_TIMEOUT");
    },
  );

  test(
    "deadlineWinsOverLateOffer",
    "lets the deadline win over an offer made after it, even before a worker recorded the timeout",
    async () => {
      const caught: unknown[] = [];
      const task = waitThenWaitAgain("deadline-wins", caught);
      const env = await h.env(task);
      await env.durable.start("e1", "deadline-wins", null);
      await env.run();
      env.clock.advance("1h");
      env.clock.advance("1ms");
      expect(await env.durable.offerEvent("e1", "go", "late")).toEqual({ status: "delivered" });
      await env.run();
      expect(caught).toHaveLength(1);
      expect(caught[0]).toBeInstanceOf(EventTimeoutError);
      const sleeping = await env.durable.status("e1");
      expect(sleeping.status).toBe("waiting");
      expect(sleeping.steps[0]).toMatchObject({ name: "go", kind: "event", status: "failed" });
      expect(sleeping.events).toHaveLength(1);
      expect(sleeping.events[0]?.consumedAt).toBeUndefined();

      await expectLateEventTakenAfterThePause(env);
    },
  );

  test(
    "offerAtDeadlineCounts",
    "gives the wait an offer made at its deadline, even when a worker only runs after it",
    async () => {
      const task = defineTask({
        name: "photo-finish",
        async run(ctx) {
          try {
            return { got: await ctx.waitForEvent("go", { timeout: "1h" }) };
          } catch {
            return { timedOut: true };
          }
        },
      });
      const env = await h.env(task);
      await env.durable.start("e1", "photo-finish", null);
      await env.run();
      env.clock.advance("1h");
      await env.durable.offerEvent("e1", "go", 1);
      const offered = await env.durable.status("e1");
      expect(offered.steps[0]?.status).toBe("waiting");
      expect(offered.events[0]?.consumedAt).toBeUndefined();
      env.clock.advance("1m");
      await env.run();
      const status = await env.durable.status("e1");
      expect(status).toMatchObject({ status: "completed", result: { got: 1 } });
      expect(status.steps).toHaveLength(1);
      expect(status.steps[0]?.status).toBe("completed");
      expect(status.events).toHaveLength(1);
      expect(status.events[0]?.consumedAt).toBeInstanceOf(Date);
    },
  );
});
