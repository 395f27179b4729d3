import { defineTask, NonRetryableError, RetryConfig, ZartError } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";

const MINUTE = 60_000;

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const RETRIES_TESTS = [
  "persistsStepRetries",
  "failsAfterStepRetries",
  "doublesBackoff",
  "retriesTask",
  "failsAfterTaskRetries",
  "defaultTaskBackoff",
  "failsOnNonRetryable",
] as const;

/** SPEC §4.1: step retries with durable backoff, task-level retries, errors that fail at once. */
export const retriesSuite = defineSuite("retries", RETRIES_TESTS, (h, test) => {
  describe("stepWithRetry", () => {
    test(
      "persistsStepRetries",
      "persists failed attempts and waits out the backoff durably, releasing the worker",
      async () => {
        let calls = 0;
        let afterCalls = 0;
        const task = defineTask({
          name: "flaky",
          async run(ctx) {
            const value = await ctx.stepWithRetry("flaky", RetryConfig.fixed(2, "1m"), () => {
              calls++;
              if (calls < 3) throw new ZartError("FLAKY", `attempt ${calls} failed`);
              return calls;
            });
            await ctx.step("after", () => ++afterCalls);
            return value;
          },
        });
        const env = await h.env(task);
        const t0 = env.clock.now();
        await env.durable.start("e1", "flaky", null);
        await env.run();
        let status = await env.durable.status("e1");
        expect(status.status).toBe("waiting");
        expect(status.wakeAt).toEqual(new Date(t0.getTime() + MINUTE));
        expect(status.steps[0]).toMatchObject({ name: "flaky", attempts: 1 });
        expect(status.steps[0]?.status).not.toBe("completed");
        expect(status.steps[0]?.error?.code).toBe("FLAKY");
        expect(env.worker.activeCount).toBe(0);

        await env.run();
        env.clock.advance("59s");
        await env.run();
        expect(calls).toBe(1);

        env.clock.advance("1s");
        await env.run();
        expect(calls).toBe(2);
        status = await env.durable.status("e1");
        expect(status.status).toBe("waiting");
        expect(status.wakeAt).toEqual(new Date(t0.getTime() + 2 * MINUTE));
        expect(status.steps[0]?.attempts).toBe(2);

        env.clock.advance("1m");
        await env.run();
        status = await env.durable.status("e1");
        expect(status).toMatchObject({ status: "completed", result: 3 });
        expect(status.steps[0]).toMatchObject({ name: "flaky", status: "completed", attempts: 3, result: 3 });
        expect(calls).toBe(3);
        expect(afterCalls).toBe(1);
      },
    );

    test(
      "failsAfterStepRetries",
      "fails with a persisted StepFailedError (cause = the last error) once the retries are exhausted",
      async () => {
        let calls = 0;
        const task = defineTask({
          name: "always-fails",
          async run(ctx) {
            return ctx.stepWithRetry("doomed", RetryConfig.fixed(2, "1m"), () => {
              calls++;
              throw new ZartError("FLAKY", "still failing");
            });
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "always-fails", null);
        for (let i = 0; i < 4; i++) {
          await env.run();
          env.clock.advance("1m");
        }
        expect(calls).toBe(3);
        const status = await env.durable.status("e1");
        expect(status.status).toBe("failed");
        expect(status.error?.code).toBe("STEP_FAILED");
        expect(status.error?.cause?.code).toBe("FLAKY");
        expect(status.steps[0]).toMatchObject({ name: "doomed", status: "failed", attempts: 3 });
        expect(status.steps[0]?.error?.code).toBe("STEP_FAILED");
        expect(status.steps[0]?.error?.cause?.code).toBe("FLAKY");
      },
    );

    test("doublesBackoff", "doubles exponential backoffs and persists each retry time", async () => {
      const task = defineTask({
        name: "exponential",
        async run(ctx) {
          return ctx.stepWithRetry("doomed", RetryConfig.exponential(3, "1m"), () => {
            throw new ZartError("FLAKY", "no");
          });
        },
      });
      const env = await h.env(task);
      await env.durable.start("e1", "exponential", null);
      for (const minutes of [1, 2, 4]) {
        await env.run();
        const status = await env.durable.status("e1");
        expect(status.status).toBe("waiting");
        expect(status.wakeAt).toEqual(new Date(env.clock.now().getTime() + minutes * MINUTE));
        env.clock.advance(minutes * MINUTE - 1);
        await env.run();
        expect((await env.durable.status("e1")).steps[0]?.attempts).toBe(status.steps[0]?.attempts);
        env.clock.advance(1);
      }
      await env.run();
      expect(await env.durable.status("e1")).toMatchObject({ status: "failed", steps: [{ attempts: 4 }] });
    });
  });

  describe("task-level retries", () => {
    test(
      "retriesTask",
      "re-runs the task up to maxRetries with its backoff, skipping completed steps",
      async () => {
        const seen: { attempt: number; isRetry: boolean }[] = [];
        let aCalls = 0;
        let bCalls = 0;
        const task = defineTask({
          name: "task-retry",
          maxRetries: 2,
          retry: RetryConfig.fixed(2, "10s"),
          async run(ctx) {
            seen.push({ attempt: ctx.attempt, isRetry: ctx.isRetry });
            await ctx.step("a", () => ++aCalls);
            return ctx.step("b", () => {
              bCalls++;
              if (ctx.attempt < 2) throw new ZartError("B_FAILED", "not yet");
              return "ok";
            });
          },
        });
        const env = await h.env(task);
        const t0 = env.clock.now();
        await env.durable.start("e1", "task-retry", null);
        await env.run();
        let status = await env.durable.status("e1");
        expect(status).toMatchObject({ status: "pending", attempt: 1 });
        expect(status.wakeAt).toEqual(new Date(t0.getTime() + 10_000));
        expect(status.error?.code).toBe("STEP_FAILED");
        expect(status.steps.map((s) => [s.name, s.status])).toEqual([["a", "completed"]]);

        env.clock.advance("9s");
        await env.run();
        expect(bCalls).toBe(1);
        env.clock.advance("1s");
        await env.run();
        status = await env.durable.status("e1");
        expect(status).toMatchObject({ status: "pending", attempt: 2 });

        env.clock.advance("10s");
        await env.run();
        status = await env.durable.status("e1");
        expect(status).toMatchObject({ status: "completed", attempt: 2, result: "ok" });
        expect(status.error).toBeUndefined();
        expect(status.steps.map((s) => [s.name, s.status])).toEqual([
          ["a", "completed"],
          ["b", "completed"],
        ]);
        expect(aCalls).toBe(1);
        expect(bCalls).toBe(3);
        expect(seen).toEqual([
          { attempt: 0, isRetry: false },
          { attempt: 1, isRetry: true },
          { attempt: 2, isRetry: true },
        ]);
      },
    );

    test(
      "failsAfterTaskRetries",
      "becomes failed with the last error once maxRetries is exhausted",
      async () => {
        let calls = 0;
        const task = defineTask({
          name: "exhausts",
          maxRetries: 1,
          retry: RetryConfig.fixed(1, "1s"),
          async run() {
            calls++;
            throw new ZartError("BOOM", `run ${calls}`);
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "exhausts", null);
        await env.run();
        expect(await env.durable.status("e1")).toMatchObject({ status: "pending", attempt: 1 });
        env.clock.advance("1s");
        await env.run();
        env.clock.advance("1h");
        await env.run();
        const status = await env.durable.status("e1");
        expect(status).toMatchObject({ status: "failed", attempt: 1 });
        expect(status.error?.code).toBe("BOOM");
        expect(calls).toBe(2);
      },
    );

    test("defaultTaskBackoff", "waits 1 s before the first task retry by default", async () => {
      let calls = 0;
      const task = defineTask({
        name: "default-backoff",
        maxRetries: 1,
        async run() {
          if (++calls === 1) throw new Error("first run fails");
          return calls;
        },
      });
      const env = await h.env(task);
      await env.durable.start("e1", "default-backoff", null);
      await env.run();
      env.clock.advance(999);
      await env.run();
      expect(calls).toBe(1);
      env.clock.advance(1);
      await env.run();
      expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: 2, attempt: 1 });
    });

    test(
      "failsOnNonRetryable",
      "fails at once on NonRetryableError, from the task or from a retried step, despite retries",
      async () => {
        let stepCalls = 0;
        const fromTask = defineTask({
          name: "non-retryable-task",
          maxRetries: 5,
          async run() {
            throw new NonRetryableError("give up");
          },
        });
        const fromStep = defineTask({
          name: "non-retryable-step",
          maxRetries: 5,
          async run(ctx) {
            return ctx.stepWithRetry("refuses", RetryConfig.fixed(5, "1m"), () => {
              stepCalls++;
              throw new NonRetryableError("bad request");
            });
          },
        });
        const env = await h.env(fromTask, fromStep);
        await env.durable.start("task", "non-retryable-task", null);
        await env.durable.start("step", "non-retryable-step", null);
        await env.run();
        env.clock.advance("1d");
        await env.run();

        const task = await env.durable.status("task");
        expect(task).toMatchObject({ status: "failed", attempt: 0 });
        expect(task.error?.code).toBe("NON_RETRYABLE");

        const step = await env.durable.status("step");
        expect(step).toMatchObject({ status: "failed", attempt: 0 });
        expect(step.error?.code).toBe("STEP_FAILED");
        expect(step.error?.cause?.code).toBe("NON_RETRYABLE");
        expect(step.steps[0]).toMatchObject({ status: "failed", attempts: 1 });
        expect(stepCalls).toBe(1);
      },
    );
  });
});
