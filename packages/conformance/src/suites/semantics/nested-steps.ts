import { defineStep, defineTask, NestedStepError } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../../define-suite.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const SEMANTICS_NESTED_STEPS_TESTS = [
  "failsNestedCtxStep",
  "failsNestedDefineStep",
  "failsNestedStepInParallel",
  "runsDefineStepOnItsOwn",
] as const;

/**
 * Issue 12 item 3: a durable operation called inside a step body fails the execution at call time
 * with `NestedStepError` (no retries, nothing persisted for the inner call), and stays failed.
 */
export const nestedStepsSuite = defineSuite(
  "semantics/nested-steps",
  SEMANTICS_NESTED_STEPS_TESTS,
  (h, test) => {
    describe("nested steps", () => {
      test(
        "failsNestedCtxStep",
        "fails the execution when ctx.step is called inside a step body",
        async () => {
          const task = defineTask({
            name: "nested-ctx-step",
            maxRetries: 3,
            async run(ctx) {
              return ctx.step("outer", () => ctx.step("inner", () => 1));
            },
          });
          const env = await h.env(task);
          await env.durable.start("e1", "nested-ctx-step", null);
          await env.run();
          const status = await env.durable.status("e1");
          expect(status).toMatchObject({ status: "failed", attempt: 0 });
          expect(status.error).toMatchObject({
            code: "NESTED_STEP",
            details: { operation: "inner", outerStep: "outer" },
          });
          expect(status.steps.map((s) => s.name)).not.toContain("inner");
        },
      );

      test(
        "failsNestedDefineStep",
        "fails the execution when a defineStep function is called inside a step body, even if caught",
        async () => {
          const caught: unknown[] = [];
          const double = defineStep("double", (n: number) => n * 2);
          const task = defineTask({
            name: "nested-define-step",
            async run(ctx) {
              const outer = await ctx.step("outer", async () => {
                try {
                  return await double(2);
                } catch (error) {
                  caught.push(error);
                  return -1;
                }
              });
              return ctx.step("after", () => outer);
            },
          });
          const env = await h.env(task);
          await env.durable.start("e1", "nested-define-step", null);
          await env.run();
          expect(caught).toHaveLength(1);
          expect(caught[0]).toBeInstanceOf(NestedStepError);
          const status = await env.durable.status("e1");
          expect(status.status).toBe("failed");
          expect(status.error?.code).toBe("NESTED_STEP");
          expect(status.steps).toEqual([]);
        },
      );

      test(
        "failsNestedStepInParallel",
        "fails a parallel step whose body calls ctx.step, and its parent without task retries",
        async () => {
          const task = defineTask({
            name: "nested-in-parallel",
            maxRetries: 3,
            async run(ctx) {
              const handle = ctx.scheduleStep("fan", () => ctx.step("inner", () => 1));
              return ctx.waitAll([handle]);
            },
          });
          const env = await h.env(task);
          await env.durable.start("e1", "nested-in-parallel", null);
          await env.run();
          const status = await env.durable.status("e1");
          expect(status).toMatchObject({ status: "failed", attempt: 0 });
          expect(status.error?.code).toBe("STEP_FAILED");
          expect(JSON.stringify(status.error)).toContain("NESTED_STEP");
          expect(status.steps.map((s) => [s.name, s.status])).toEqual([["fan", "failed"]]);
        },
      );

      test(
        "runsDefineStepOnItsOwn",
        "lets a defineStep function run on its own after the step that used to nest it",
        async () => {
          const double = defineStep("double", (n: number) => n * 2);
          const task = defineTask({
            name: "sequential-define-step",
            async run(ctx) {
              const n = await ctx.step("outer", () => 2);
              return double(n);
            },
          });
          const env = await h.env(task);
          await env.durable.start("e1", "sequential-define-step", null);
          await env.run();
          const status = await env.durable.status("e1");
          expect(status).toMatchObject({ status: "completed", result: 4 });
          expect(status.steps.map((s) => s.name)).toEqual(["outer", "double"]);
        },
      );
    });
  },
);
