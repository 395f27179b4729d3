import {
  defineTask,
  ExecutionNotFoundError,
  ExecutionNotRetryableError,
  NonRetryableError,
  type Scheduler,
} from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { BOOM, flush, ifPush, recordWakeUps, verbEnv } from "./verbs/support.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const OPERATOR_RETRY_TESTS = [
  "runsFailedExecutionAgain",
  "runsCancelledExecutionAgain",
  "refusesUnretryable",
  "keepsCompletedSteps",
  "oneOfRacingRetriesWins",
] as const;

/** The operator's `retry`: a failed or cancelled execution runs again from its first unfinished step. */
export const operatorRetrySuite = defineSuite("operator-retry", OPERATOR_RETRY_TESTS, (h, test) => {
  describe("operator retry", () => {
    test(
      "runsFailedExecutionAgain",
      "runs a failed execution again, replaying its completed steps exactly once",
      async () => {
        const runs = { first: 0, flaky: 0, last: 0 };
        let broken = true;
        const task = defineTask({
          name: "retry-me",
          maxRetries: 0,
          async run(ctx) {
            await ctx.step("first", async () => ++runs.first);
            await ctx.step("flaky", async () => {
              runs.flaky++;
              if (broken) throw new NonRetryableError("down");
              return "up";
            });
            return ctx.step("last", async () => ++runs.last);
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "retry-me", null);
        await env.run();
        expect((await env.durable.status("e1")).status).toBe("failed");

        broken = false;
        await env.durable.retry("e1");
        const pending = await env.durable.status("e1");
        expect(pending).toMatchObject({ status: "pending", attempt: 0 });
        expect(pending.error).toBeUndefined();
        await env.run();
        expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: 1 });
        expect(runs).toEqual({ first: 1, flaky: 2, last: 1 });
      },
    );

    test("runsCancelledExecutionAgain", "runs a cancelled execution again", async () => {
      const task = defineTask({
        name: "retry-cancelled",
        async run(ctx) {
          await ctx.sleep("nap", "1h");
          return "woke";
        },
      });
      const env = await h.env(task);
      await env.durable.start("e1", "retry-cancelled", null);
      await env.run();
      await env.durable.cancel("e1");
      await env.durable.retry("e1");
      await env.run();
      expect((await env.durable.status("e1")).status).toBe("waiting");
      env.clock.advance("2h");
      await env.run();
      expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: "woke" });
    });

    test(
      "refusesUnretryable",
      "refuses unknown, pending, running and completed executions, changing nothing",
      async () => {
        const { scheduler, start, claimOne, now, details } = await verbEnv(h);
        await expect(scheduler.restartExecution("nope", now())).rejects.toBeInstanceOf(
          ExecutionNotFoundError,
        );
        await start("e1");
        await expectRefused(scheduler, "e1", now());
        const { lease } = await claimOne();
        await expectRefused(scheduler, "e1", now());
        await scheduler.completeExecution(lease, { result: "1" }, {}, now());
        const before = await details("e1");
        await expectRefused(scheduler, "e1", now());
        expect(await details("e1")).toEqual(before);
      },
    );

    test(
      "keepsCompletedSteps",
      "keeps completed steps, deletes the rest and resets the attempt (store verb)",
      async () => {
        const { clock, scheduler, start, claimOne, step, now, details } = await verbEnv(h);
        const wakes = recordWakeUps(scheduler);
        await start("e1");
        const { lease } = await claimOne();
        const timeoutAt = new Date(now().getTime() + 60_000);
        await scheduler.saveStep(lease, step(0), { data: '{"d":1}', timeoutAt }, now());
        await scheduler.saveStep(lease, step(1, "failed"), {}, now());
        await scheduler.failExecution(lease, { error: BOOM }, {}, now());
        clock.advance("1m");
        await flush();
        wakes.length = 0;

        const record = await scheduler.restartExecution("e1", now());
        const after = await details("e1");
        expect(after.execution).toEqual(record);
        expect(record).toMatchObject({ status: "pending", attempt: 0, runAt: now(), data: '{"d":1}' });
        for (const field of ["error", "completedAt", "timeoutAt", "leaseOwner", "waitReason"] as const) {
          expect(record[field]).toBeUndefined();
        }
        expect(after.steps.map((s) => [s.position, s.status])).toEqual([[0, "completed"]]);
        await flush();
        expect(wakes).toEqual(ifPush(scheduler, [{ reason: "retry", executionId: "e1" }]));
        const again = await claimOne("w2");
        expect(again.steps.map((s) => s.name)).toEqual(["s0"]);
      },
    );

    test("oneOfRacingRetriesWins", "lets exactly one of N racing retries win", async () => {
      const { env, start, claimOne, now } = await verbEnv(h);
      await start("e1");
      const { lease } = await claimOne();
      await env.scheduler.failExecution(lease, { error: BOOM }, {}, now());
      const schedulers = [env.scheduler, ...(await Promise.all([1, 2, 3].map(() => env.newScheduler())))];
      const outcomes = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          schedulers[i % schedulers.length]!.restartExecution("e1", now()),
        ),
      );
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === "rejected") expect(o.reason).toBeInstanceOf(ExecutionNotRetryableError);
      }
    });
  });
});

async function expectRefused(scheduler: Scheduler, executionId: string, now: Date): Promise<void> {
  const error = await scheduler.restartExecution(executionId, now).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ExecutionNotRetryableError);
  expect(error).toMatchObject({ code: "EXECUTION_NOT_RETRYABLE" });
}
