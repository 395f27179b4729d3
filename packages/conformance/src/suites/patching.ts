import { defineTask, TaskRegistry } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import type { AnyTask, TestEnv } from "../harness.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const PATCHING_TESTS = [
  "falseWhenHistoryPastPatch",
  "trueOnNewCode",
  "trueBeforeReachingPatch",
  "repeatedCallsAgree",
  "replaysWithOrWithoutMarker",
] as const;

/**
 * `ctx.patched` / `ctx.deprecatePatch` across a simulated deploy: two definitions of one task name
 * run one after the other over the same store (the old worker, then a worker with the new code).
 */
export const patchingSuite = defineSuite("patching", PATCHING_TESTS, (h, test) => {
  /** v1: `a`, a one-minute nap, `b`. */
  const v1 = defineTask({
    name: "order",
    async run(ctx) {
      await ctx.step("a", () => "a");
      await ctx.sleep("nap", "1m");
      await ctx.step("b", () => "b");
      return "v1";
    },
  });
  /** v2 adds step `a2` before the nap, behind a patch. */
  const v2 = defineTask({
    name: "order",
    async run(ctx) {
      await ctx.step("a", () => "a");
      const isNew = await ctx.patched("add-a2");
      if (isNew) await ctx.step("a2", () => "a2");
      await ctx.sleep("nap", "1m");
      await ctx.step("b", () => "b");
      return isNew ? "new" : "old";
    },
  });
  /** v3: the patch is retired, only the new branch remains. */
  const v3 = defineTask({
    name: "order",
    async run(ctx) {
      await ctx.step("a", () => "a");
      await ctx.deprecatePatch("add-a2");
      await ctx.step("a2", () => "a2");
      await ctx.sleep("nap", "1m");
      await ctx.step("b", () => "b");
      return "v3";
    },
  });

  /** Runs every due unit with a worker that has `task` registered (the code "deployed" now). */
  async function runOn(env: TestEnv, task: AnyTask): Promise<void> {
    const registry = new TaskRegistry();
    registry.register(task);
    await env.newWorker({ registry }).runUntilIdle();
  }

  const kinds = async (env: TestEnv, id: string) =>
    (await env.durable.status(id)).steps.map((step) => [step.name, step.kind]);

  describe("ctx.patched", () => {
    test(
      "falseWhenHistoryPastPatch",
      "is false for an execution whose history went past the patch, and it replays the old branch",
      async () => {
        const env = await h.env(v1);
        await env.durable.start("old", "order", null);
        await runOn(env, v1);
        env.clock.advance("1m");
        await runOn(env, v2);
        const status = await env.durable.status("old");
        expect(status).toMatchObject({ status: "completed", result: "old" });
        expect(await kinds(env, "old")).toEqual([
          ["a", "step"],
          ["nap", "sleep"],
          ["b", "step"],
        ]);
      },
    );

    test(
      "trueOnNewCode",
      "is true for an execution reaching it on the new code, recorded as a marker every replay agrees with",
      async () => {
        const env = await h.env(v2);
        await env.durable.start("new", "order", null);
        await runOn(env, v2);
        expect(await kinds(env, "new")).toEqual([
          ["a", "step"],
          ["add-a2", "marker"],
          ["a2", "step"],
          ["nap", "sleep"],
        ]);
        env.clock.advance("1m");
        await runOn(env, v2);
        expect(await env.durable.status("new")).toMatchObject({ status: "completed", result: "new" });
        expect(await kinds(env, "new")).toHaveLength(5);
      },
    );

    test(
      "trueBeforeReachingPatch",
      "is true for an execution started on the old code that had not reached the patch yet",
      async () => {
        const early = defineTask({
          name: "order",
          async run(ctx) {
            await ctx.sleep("first", "1m");
            return ctx.step("late", () => "old");
          },
        });
        const patchedLate = defineTask({
          name: "order",
          async run(ctx) {
            await ctx.sleep("first", "1m");
            return (await ctx.patched("late-change")) ? "new" : ctx.step("late", () => "old");
          },
        });
        const env = await h.env(early);
        await env.durable.start("e1", "order", null);
        await runOn(env, early);
        env.clock.advance("1m");
        await runOn(env, patchedLate);
        expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: "new" });
      },
    );

    test(
      "repeatedCallsAgree",
      "answers repeated calls with one id alike and records one marker",
      async () => {
        const seen: boolean[] = [];
        const task = defineTask({
          name: "twice",
          async run(ctx) {
            seen.push(await ctx.patched("p"));
            seen.push(await ctx.patched("p"));
            await ctx.sleep("nap", "1m");
            return seen.length;
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "twice", null);
        await env.run();
        env.clock.advance("1m");
        await env.run();
        expect(seen).toEqual([true, true, true, true]);
        expect(await kinds(env, "e1")).toEqual([
          ["p", "marker"],
          ["nap", "sleep"],
        ]);
      },
    );
  });

  describe("ctx.deprecatePatch", () => {
    test(
      "replaysWithOrWithoutMarker",
      "replays executions with and without the marker, and new executions write none",
      async () => {
        const env = await h.env(v2);
        await env.durable.start("with-marker", "order", null);
        await runOn(env, v2);
        await env.durable.start("fresh", "order", null);
        await runOn(env, v3);
        env.clock.advance("1m");
        await runOn(env, v3);
        expect(await env.durable.status("with-marker")).toMatchObject({ status: "completed", result: "v3" });
        expect(await env.durable.status("fresh")).toMatchObject({ status: "completed", result: "v3" });
        expect(await kinds(env, "with-marker")).toContainEqual(["add-a2", "marker"]);
        expect(await kinds(env, "fresh")).toEqual([
          ["a", "step"],
          ["a2", "step"],
          ["nap", "sleep"],
          ["b", "step"],
        ]);
      },
    );
  });
});
