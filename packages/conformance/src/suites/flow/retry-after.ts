import { defineTask, RetryAfterError, RetryConfig, ValidationError } from "@zart/core";
import { describe, expect } from "vitest";
import type { SuiteTest } from "../../define-suite.js";
import type { Harness } from "../../harness.js";

const SECOND = 1_000;

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const RETRY_AFTER_TESTS = [
  "parksDurablyUntilDelay",
  "wakesAtAbsoluteDate",
  "neverParksPastTimeout",
  "rejectsBadDelay",
] as const;

/** Issue #14: `RetryAfterError` parks the execution until the asked time, spending no attempt. */
export function retryAfterSuite(h: Harness, test: SuiteTest<(typeof RETRY_AFTER_TESTS)[number]>): void {
  describe("RetryAfterError", () => {
    test(
      "parksDurablyUntilDelay",
      "parks durably until the delay passes and runs the step again without spending an attempt",
      async () => {
        let calls = 0;
        const task = defineTask({
          name: "rate-limited-call",
          async run(ctx) {
            // One retry allowed: two retry-afters then a success must not exhaust it.
            return ctx.stepWithRetry("call", RetryConfig.fixed(1, "1m"), () => {
              calls++;
              if (calls <= 2) throw new RetryAfterError("30s");
              return calls;
            });
          },
        });
        const env = await h.env(task);
        const t0 = env.clock.now();
        await env.durable.start("e1", "rate-limited-call", null);
        await env.run();
        let status = await env.durable.status("e1");
        expect(status.status).toBe("waiting");
        expect(status.wakeAt).toEqual(new Date(t0.getTime() + 30 * SECOND));
        expect(status.steps[0]).toMatchObject({ name: "call", status: "waiting", attempts: 0 });
        expect(status.steps[0]?.error?.code).toBe("RETRY_AFTER");
        expect(env.worker.activeCount).toBe(0);

        env.clock.advance("29s");
        await env.run();
        expect(calls).toBe(1);

        env.clock.advance("1s");
        await env.run();
        expect(calls).toBe(2);
        status = await env.durable.status("e1");
        expect(status.wakeAt).toEqual(new Date(t0.getTime() + 60 * SECOND));
        expect(status.steps[0]?.attempts).toBe(0);

        env.clock.advance("30s");
        await env.run();
        status = await env.durable.status("e1");
        expect(status).toMatchObject({ status: "completed", result: 3 });
        expect(status.steps[0]).toMatchObject({ status: "completed", attempts: 1 });
        expect(calls).toBe(3);
      },
    );

    test(
      "wakesAtAbsoluteDate",
      "wakes at an absolute Date, also in a step without a retry policy",
      async () => {
        let calls = 0;
        let resumeAt: Date | undefined;
        const task = defineTask({
          name: "until-date",
          async run(ctx) {
            return ctx.step("call", () => {
              calls++;
              if (calls === 1 && resumeAt) throw new RetryAfterError(resumeAt);
              return "done";
            });
          },
        });
        const env = await h.env(task);
        resumeAt = new Date(env.clock.now().getTime() + 90 * SECOND);
        await env.durable.start("e1", "until-date", null);
        await env.run();
        expect(await env.durable.status("e1")).toMatchObject({ status: "waiting", wakeAt: resumeAt });

        env.clock.advance("89s");
        await env.run();
        expect(calls).toBe(1);
        env.clock.advance("1s");
        await env.run();
        expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: "done" });
        expect(calls).toBe(2);
      },
    );

    test("neverParksPastTimeout", "never parks past the task timeout", async () => {
      const task = defineTask({
        name: "past-deadline",
        timeout: "1m",
        async run(ctx) {
          return ctx.step("call", () => {
            throw new RetryAfterError("1h");
          });
        },
      });
      const env = await h.env(task);
      const t0 = env.clock.now();
      await env.durable.start("e1", "past-deadline", null);
      await env.run();
      expect((await env.durable.status("e1")).wakeAt).toEqual(new Date(t0.getTime() + 60 * SECOND));
      env.clock.advance("1m");
      await env.run();
      const status = await env.durable.status("e1");
      expect(status.status).toBe("failed");
      expect(status.error?.code).toBe("TASK_TIMEOUT");
    });

    test(
      "rejectsBadDelay",
      "rejects a delay that is not a duration and an invalid Date with ValidationError",
      () => {
        expect(() => new RetryAfterError("soon" as "1s")).toThrow(ValidationError);
        expect(() => new RetryAfterError(-5)).toThrow(ValidationError);
        expect(() => new RetryAfterError(new Date(Number.NaN))).toThrow(ValidationError);
      },
    );
  });
}
