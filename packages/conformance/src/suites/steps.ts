import {
  defineTask,
  NonDeterminismError,
  RetryConfig,
  SerializationError,
  StepFailedError,
  TaskRegistry,
  ZartError,
} from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { codesOf } from "../harness.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const STEPS_TESTS = [
  "failsNonJsonResult",
  "neverRunsCompletedStep",
  "returnsJsonRoundTrip",
  "failsNonJsonOutput",
  "persistsStepFailure",
  "suffixesRepeatedNames",
  "failsOnNonDeterminism",
] as const;

/** SPEC §4.1: step results persisted before the next line, exactly once, JSON round-trip, replay checks. */
export const stepsSuite = defineSuite("steps", STEPS_TESTS, (h, test) => {
  describe("persisted results and replay", () => {
    test(
      "neverRunsCompletedStep",
      "never runs a completed step again across a sleep and an event wait",
      async () => {
        const calls = { a: 0, b: 0, c: 0 };
        const task = defineTask({
          name: "replay",
          async run(ctx) {
            const a = await ctx.step("a", () => {
              calls.a++;
              return "A";
            });
            await ctx.sleep("nap", "1h");
            const b = await ctx.step("b", () => {
              calls.b++;
              return { v: "B" };
            });
            const event = await ctx.waitForEvent<string>("go");
            return ctx.step("c", () => {
              calls.c++;
              return [a, b.v, event];
            });
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "replay", null);
        await env.run();
        await env.run();
        expect(calls).toEqual({ a: 1, b: 0, c: 0 });
        const sleeping = await env.durable.status("e1");
        expect(sleeping.status).toBe("waiting");
        expect(sleeping.steps.map((s) => [s.name, s.status])).toEqual([
          ["a", "completed"],
          ["nap", "waiting"],
        ]);
        expect(sleeping.steps[0]?.result).toBe("A");

        env.clock.advance("1h");
        await env.run();
        expect(calls).toEqual({ a: 1, b: 1, c: 0 });
        expect((await env.durable.status("e1")).status).toBe("waiting");

        await env.durable.offerEvent("e1", "go", "E");
        await env.run();
        expect(calls).toEqual({ a: 1, b: 1, c: 1 });
        const done = await env.durable.status("e1");
        expect(done).toMatchObject({ status: "completed", result: ["A", "B", "E"] });
        expect(done.steps.map((s) => [s.name, s.kind, s.status])).toEqual([
          ["a", "step", "completed"],
          ["nap", "sleep", "completed"],
          ["b", "step", "completed"],
          ["go", "event", "completed"],
          ["c", "step", "completed"],
        ]);
        expect(done.steps.every((s) => s.attempts === 1)).toBe(true);
        expect(env.claimCount("e1")).toBe(3);
      },
    );

    test(
      "returnsJsonRoundTrip",
      "returns the JSON round-trip of a step's result on the first run too",
      async () => {
        const when = new Date(Date.UTC(2031, 5, 1));
        const seen: unknown[] = [];
        const task = defineTask({
          name: "round-trip",
          async run(ctx) {
            const value = await ctx.step("value", () => ({
              when,
              missing: undefined,
              list: [1, undefined],
              nested: { n: null },
            }));
            const nothing = await ctx.step("nothing", () => undefined);
            const nil = await ctx.step("nil", () => null);
            seen.push({ value, nothing, nil });
            await ctx.sleep("nap", "1m");
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "round-trip", null);
        await env.run();
        const expected = {
          value: { when: when.toISOString(), list: [1, null], nested: { n: null } },
          nothing: undefined,
          nil: null,
        };
        expect(seen).toHaveLength(1);
        expect(seen[0]).toStrictEqual(expected);

        env.clock.advance("1m");
        await env.run();
        expect(seen).toHaveLength(2);
        expect(seen[1]).toStrictEqual(expected);
        const status = await env.durable.status("e1");
        expect(status.status).toBe("completed");
        expect(status.result).toBeUndefined();
        expect(status.steps[1]?.result).toBeUndefined();
        expect(status.steps[2]?.result).toBeNull();
      },
    );

    test.each("failsNonJsonResult")([
      [
        "a class instance",
        () =>
          new (class Point {
            x = 1;
          })(),
      ],
      ["a Map", () => new Map([["k", 1]])],
      ["a function", () => () => 1],
      ["a BigInt", () => 10n],
      [
        "a cycle",
        () => {
          const node: Record<string, unknown> = {};
          node.self = node;
          return node;
        },
      ],
    ])("fails the step with StepFailedError caused by SerializationError for %s", async (_what, make) => {
      let calls = 0;
      const caught: unknown[] = [];
      const task = defineTask({
        name: "not-json",
        async run(ctx) {
          try {
            await ctx.stepWithRetry("bad", RetryConfig.fixed(3, "1m"), () => {
              calls++;
              return make();
            });
          } catch (error) {
            caught.push(error);
          }
          return "handled";
        },
      });
      const env = await h.env(task);
      await env.durable.start("e1", "not-json", null);
      await env.run();
      expect(caught).toHaveLength(1);
      expect(caught[0]).toBeInstanceOf(StepFailedError);
      expect((caught[0] as ZartError).code).toBe("STEP_FAILED");
      expect((caught[0] as Error).cause).toBeInstanceOf(SerializationError);
      expect(((caught[0] as Error).cause as ZartError).code).toBe("SERIALIZATION");
      expect(calls).toBe(1);
      const status = await env.durable.status("e1");
      expect(status).toMatchObject({ status: "completed", result: "handled" });
      expect(status.steps[0]).toMatchObject({ name: "bad", status: "failed", attempts: 1 });
      expect(status.steps[0]?.error?.code).toBe("STEP_FAILED");
      expect(status.steps[0]?.error?.cause?.code).toBe("SERIALIZATION");
    });

    test(
      "failsNonJsonOutput",
      "fails the execution with SerializationError, without retries, when the task's output is not JSON",
      async () => {
        const task = defineTask({
          name: "bad-output",
          maxRetries: 3,
          async run() {
            return { big: 1n };
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "bad-output", null);
        await env.run();
        const status = await env.durable.status("e1");
        expect(status).toMatchObject({ status: "failed", attempt: 0 });
        expect(status.error?.code).toBe("SERIALIZATION");
      },
    );

    test(
      "persistsStepFailure",
      "persists a step's failure: replay throws the same error without running the step",
      async () => {
        let calls = 0;
        const caught: unknown[] = [];
        const task = defineTask({
          name: "fails-once",
          async run(ctx) {
            try {
              await ctx.step("boom", () => {
                calls++;
                throw new ZartError("BOOM", "boom");
              });
            } catch (error) {
              caught.push(error);
            }
            await ctx.sleep("nap", "1m");
            return "done";
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "fails-once", null);
        await env.run();
        const waiting = await env.durable.status("e1");
        expect(waiting.steps[0]).toMatchObject({ name: "boom", status: "failed", attempts: 1 });
        expect(waiting.steps[0]?.error?.code).toBe("STEP_FAILED");
        expect(waiting.steps[0]?.error?.cause?.code).toBe("BOOM");

        env.clock.advance("1m");
        await env.run();
        expect(calls).toBe(1);
        expect(caught).toHaveLength(2);
        for (const error of caught) {
          expect(error).toBeInstanceOf(StepFailedError);
          expect(codesOf(error)).toEqual(["STEP_FAILED", "BOOM"]);
        }
        expect((await env.durable.status("e1")).status).toBe("completed");
      },
    );
  });

  describe("occurrence suffixes", () => {
    test(
      "suffixesRepeatedNames",
      "names repeated steps notify, notify#1, … and gives each call its own result",
      async () => {
        const calls: number[] = [];
        const task = defineTask({
          name: "loop",
          async run(ctx) {
            const out: number[] = [];
            for (const i of [0, 1, 2]) {
              out.push(
                await ctx.step("notify", () => {
                  calls.push(i);
                  return i * 10;
                }),
              );
            }
            await ctx.sleep("nap", "1m");
            return out;
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "loop", null);
        await env.run();
        const waiting = await env.durable.status("e1");
        expect(waiting.steps.map((s) => [s.name, s.result])).toEqual([
          ["notify", 0],
          ["notify#1", 10],
          ["notify#2", 20],
          ["nap", undefined],
        ]);
        env.clock.advance("1m");
        await env.run();
        expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: [0, 10, 20] });
        expect(calls).toEqual([0, 1, 2]);
      },
    );
  });

  describe("determinism", () => {
    test(
      "failsOnNonDeterminism",
      "fails with NonDeterminismError, without retries, when replay meets a different step name",
      async () => {
        const v1 = defineTask({
          name: "evolving",
          maxRetries: 3,
          async run(ctx) {
            await ctx.step("a", () => 1);
            await ctx.waitForEvent("go");
            return ctx.step("b", () => 2);
          },
        });
        let changedCalls = 0;
        const v2 = defineTask({
          name: "evolving",
          maxRetries: 3,
          async run(ctx) {
            await ctx.step("a", () => 1);
            await ctx.step("changed", () => ++changedCalls);
            return "should not finish";
          },
        });
        const env = await h.env(v1);
        await env.durable.start("e1", "evolving", null);
        await env.run();
        expect((await env.durable.status("e1")).status).toBe("waiting");

        const deployed = env.newWorker({ registry: new TaskRegistry().register(v2) });
        await env.durable.offerEvent("e1", "go", true);
        await deployed.runUntilIdle();
        env.clock.advance("1d");
        await deployed.runUntilIdle();
        const status = await env.durable.status("e1");
        expect(status).toMatchObject({ status: "failed", attempt: 0 });
        expect(status.error?.code).toBe("NON_DETERMINISM");
        expect(status.error?.name).toBe(NonDeterminismError.name);
        expect(changedCalls).toBe(0);
        expect(status.steps.map((s) => s.name)).not.toContain("changed");
      },
    );
  });
});
