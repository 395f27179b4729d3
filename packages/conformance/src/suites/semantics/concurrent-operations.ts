import { ConcurrentOperationError, defineTask } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../../define-suite.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const SEMANTICS_CONCURRENT_OPERATIONS_TESTS = [
  "failsRaceOfEventWaits",
  "failsAllOfSteps",
  "runsOperationsInSequence",
] as const;

/**
 * Issue 12 item 4a: two durable operations awaited at the same time (outside `scheduleStep` +
 * `waitAll`) fail the execution at once with `ConcurrentOperationError` naming both.
 */
export const concurrentOperationsSuite = defineSuite(
  "semantics/concurrent-operations",
  SEMANTICS_CONCURRENT_OPERATIONS_TESTS,
  (h, test) => {
    describe("concurrent durable operations", () => {
      test(
        "failsRaceOfEventWaits",
        "fails Promise.race over two event waits at once, naming both, persisting neither",
        async () => {
          const caught: unknown[] = [];
          const task = defineTask({
            name: "race-two-waits",
            maxRetries: 2,
            async run(ctx) {
              try {
                return await Promise.race([ctx.waitForEvent("approve"), ctx.waitForEvent("reject")]);
              } catch (error) {
                caught.push(error);
                throw error;
              }
            },
          });
          const env = await h.env(task);
          await env.durable.start("e1", "race-two-waits", null);
          await env.run();
          expect(caught[0]).toBeInstanceOf(ConcurrentOperationError);
          expect((caught[0] as Error).message).toContain('"approve"');
          expect((caught[0] as Error).message).toContain('"reject"');
          const status = await env.durable.status("e1");
          expect(status).toMatchObject({ status: "failed", attempt: 0 });
          expect(status.error).toMatchObject({
            code: "CONCURRENT_OPERATION",
            details: { running: "approve", called: "reject" },
          });
          expect(status.steps).toEqual([]);
        },
      );

      test("failsAllOfSteps", "fails Promise.all over two steps", async () => {
        const task = defineTask({
          name: "all-two-steps",
          async run(ctx) {
            return Promise.all([ctx.step("a", () => 1), ctx.step("b", () => 2)]);
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "all-two-steps", null);
        await env.run();
        const status = await env.durable.status("e1");
        expect(status.status).toBe("failed");
        expect(status.error?.code).toBe("CONCURRENT_OPERATION");
      });

      test("runsOperationsInSequence", "runs the same operations one after the other", async () => {
        const task = defineTask({
          name: "sequential-ops",
          async run(ctx) {
            const a = await ctx.step("a", () => 1);
            const b = await ctx.step("b", () => 2);
            const [c] = await ctx.waitAll([ctx.scheduleStep("c", () => 3)]);
            return a + b + c;
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "sequential-ops", null);
        await env.run();
        expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: 6 });
      });
    });
  },
);
