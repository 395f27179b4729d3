import { context, defineStep, defineTask, type ExecutionInfo, RetryConfig, ZartError } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const CONTEXT_TESTS = [
  "persistsBlobEveryCheckpoint",
  "replaysFirstRunValues",
  "ambientContext",
  "defineStepRunsAsStep",
] as const;

/** SPEC §3.2: `ctx.data`, durable `now`/`capture`, the ambient `context()` and `defineStep`. */
export const contextSuite = defineSuite("context", CONTEXT_TESTS, (h, test) => {
  describe("ctx.data()", () => {
    test(
      "persistsBlobEveryCheckpoint",
      "persists the blob at every checkpoint and reads the latest one after a suspension",
      async () => {
        const atStart: unknown[] = [];
        const task = defineTask({
          name: "data",
          async run(ctx) {
            atStart.push(ctx.data());
            ctx.setData({ stage: "sleeping" });
            await ctx.sleep("nap", "1m");
            ctx.setData({ stage: "waiting" });
            await ctx.waitForEvent("go");
            ctx.setData({ stage: "done" });
            return ctx.data();
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "data", null);
        await env.run();
        expect((await env.durable.status("e1")).data).toEqual({ stage: "sleeping" });
        env.clock.advance("1m");
        await env.run();
        expect((await env.durable.status("e1")).data).toEqual({ stage: "waiting" });
        await env.durable.offerEvent("e1", "go", null);
        await env.run();
        expect(atStart).toEqual([undefined, { stage: "sleeping" }, { stage: "waiting" }]);
        const status = await env.durable.status("e1");
        expect(status).toMatchObject({
          status: "completed",
          result: { stage: "done" },
          data: { stage: "done" },
        });
      },
    );
  });

  describe("ctx.now() and ctx.capture()", () => {
    test("replaysFirstRunValues", "returns the first run's values on every replay", async () => {
      const seen: { at: Date; random: number }[] = [];
      const task = defineTask({
        name: "capture",
        async run(ctx) {
          const at = await ctx.now("at");
          const random = await ctx.capture("random", () => Math.random());
          seen.push({ at, random });
          await ctx.sleep("nap", "1h");
          return { at: at.toISOString(), random };
        },
      });
      const env = await h.env(task);
      const t0 = env.clock.now();
      await env.durable.start("e1", "capture", null);
      await env.run();
      env.clock.advance("1h");
      await env.run();
      expect(seen).toHaveLength(2);
      expect(seen[0]?.at).toBeInstanceOf(Date);
      expect(seen[0]?.at).toEqual(t0);
      expect(seen[1]).toEqual(seen[0]);
      const status = await env.durable.status("e1");
      expect(status.result).toEqual({ at: t0.toISOString(), random: seen[0]?.random });
      expect(status.steps.map((s) => [s.name, s.kind])).toEqual([
        ["at", "capture"],
        ["random", "capture"],
        ["nap", "sleep"],
      ]);
    });
  });

  describe("ambient API", () => {
    test(
      "ambientContext",
      "context() describes the execution inside steps and the task, and throws outside",
      async () => {
        const infos: ExecutionInfo[] = [];
        let outside: ExecutionInfo | undefined;
        const task = defineTask({
          name: "ambient",
          maxRetries: 2,
          async run(ctx) {
            await ctx.stepWithRetry("inspect", RetryConfig.fixed(1, "1s"), () => {
              infos.push(context());
              if (infos.length === 1) throw new Error("fail the first attempt");
            });
            outside = context();
            return ctx.executionId;
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "ambient", { x: 1 });
        await env.run();
        env.clock.advance("1s");
        await env.run();
        const base = { executionId: "e1", taskName: "ambient", data: { x: 1 }, maxRetries: 2 };
        expect(infos).toEqual([
          { ...base, currentAttempt: 0, isRetry: false },
          { ...base, currentAttempt: 1, isRetry: true },
        ]);
        expect(outside).toEqual({ ...base, currentAttempt: 0, isRetry: false });
        expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: "e1" });
        expect(() => context()).toThrow(ZartError);
      },
    );

    test(
      "defineStepRunsAsStep",
      "defineStep runs as a step, with name templates, .named() and occurrence suffixes",
      async () => {
        const calls: string[] = [];
        const sendEmail = defineStep(
          (to: string) => `send-${to}`,
          async (to: string) => {
            calls.push(to);
            return `sent:${to}`;
          },
        );
        const increment = defineStep("increment", (n: number) => n + 1);
        const task = defineTask({
          name: "define-step",
          async run(ctx) {
            const results = [
              await sendEmail("ann"),
              await sendEmail.named("custom")("bob"),
              await sendEmail("ann"),
              await increment(1),
            ];
            await ctx.sleep("nap", "1m");
            return results;
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "define-step", null);
        await env.run();
        env.clock.advance("1m");
        await env.run();
        const status = await env.durable.status("e1");
        expect(status).toMatchObject({
          status: "completed",
          result: ["sent:ann", "sent:bob", "sent:ann", 2],
        });
        expect(status.steps.map((s) => [s.name, s.kind])).toEqual([
          ["send-ann", "step"],
          ["custom", "step"],
          ["send-ann#1", "step"],
          ["increment", "step"],
          ["nap", "sleep"],
        ]);
        expect(calls).toEqual(["ann", "bob", "ann"]);
        await expect(sendEmail("outside")).rejects.toBeInstanceOf(ZartError);
        expect(calls).toEqual(["ann", "bob", "ann"]);
      },
    );
  });
});
