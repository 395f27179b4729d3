import { defineTask, PauseRuleNotFoundError, ValidationError } from "@zart/core";
import type { PauseRule } from "@zart/core/store";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import type { TestEnv } from "../harness.js";
import { flush, ifPush, recordWakeUps, verbEnv } from "./verbs/support.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const OPERATOR_PAUSE_RULES_TESTS = [
  "storesListsAndDeletes",
  "racingDeletes",
  "holdsTaskAgainstClaimers",
  "expiredRulesRelease",
  "pausesAtNamedStep",
  "refusesBadRules",
] as const;

const TWO_STEPS = defineTask({
  name: "two-steps",
  async run(ctx) {
    const a = await ctx.step("a", () => 1);
    const b = await ctx.step("b", () => 2);
    return a + b;
  },
});

function rule(ruleId: string, overrides: Partial<PauseRule> = {}): PauseRule {
  return { ruleId, taskName: "task", createdAt: new Date("2026-01-01T00:00:00.000Z"), ...overrides };
}

/** 8 workers, each on its own scheduler over the same storage, running until idle at once. */
async function runEight(env: TestEnv): Promise<void> {
  const schedulers = await Promise.all(Array.from({ length: 8 }, () => env.newScheduler()));
  await Promise.all(schedulers.map((scheduler) => env.newWorker({ scheduler }).runUntilIdle()));
}

async function statuses(env: TestEnv, ids: readonly string[]): Promise<string[]> {
  return Promise.all(ids.map(async (id) => (await env.durable.status(id)).status));
}

/** Pause rules: the store verbs, and the workers holding (then releasing) what a rule names. */
export const operatorPauseRulesSuite = defineSuite(
  "operator-pause-rules",
  OPERATOR_PAUSE_RULES_TESTS,
  (h, test) => {
    describe("pause rules", () => {
      test(
        "storesListsAndDeletes",
        "stores rules, lists those in force by id (an expired one is left out), deletes one",
        async () => {
          const { scheduler, now, clock } = await verbEnv(h);
          const wakes = recordWakeUps(scheduler);
          expect(await scheduler.listPauseRules(now())).toEqual([]);
          const later = new Date(now().getTime() + 60_000);
          const stepRule = rule("r2", { stepName: "charge", expiresAt: later });
          await scheduler.createPauseRule(stepRule);
          await scheduler.createPauseRule(rule("r1"));
          expect(await scheduler.listPauseRules(now())).toEqual([rule("r1"), stepRule]);
          clock.advance("1m");
          expect(await scheduler.listPauseRules(now())).toEqual([rule("r1")]);
          expect(await scheduler.deletePauseRule("r1")).toBe(true);
          expect(await scheduler.deletePauseRule("r1")).toBe(false);
          expect(await scheduler.listPauseRules(new Date(0))).toEqual([stepRule]);
          await flush();
          const expected = ["r2", "r1", "r1"].map((executionId) => ({ reason: "pause-rules", executionId }));
          expect(wakes).toEqual(ifPush(scheduler, expected));
        },
      );

      test("racingDeletes", "among 8 racing deletes of one rule exactly one succeeds", async () => {
        const { env, scheduler, now } = await verbEnv(h);
        await scheduler.createPauseRule(rule("r1"));
        const schedulers = await Promise.all([1, 2, 3].map(() => env.newScheduler()));
        const all = [scheduler, ...schedulers];
        const deleted = await Promise.all(
          Array.from({ length: 8 }, (_, i) => all[i % all.length]!.deletePauseRule("r1")),
        );
        expect(deleted.filter(Boolean)).toHaveLength(1);
        expect(await scheduler.listPauseRules(now())).toEqual([]);
      });

      test(
        "holdsTaskAgainstClaimers",
        "a rule on a task holds its executions pending against 8 workers until it is deleted",
        async () => {
          const env = await h.env(TWO_STEPS);
          const created = await env.durable.pauseRules.create({ taskName: "two-steps" });
          const ids = ["e1", "e2", "e3", "e4", "e5"];
          for (const id of ids) await env.durable.start(id, "two-steps", null);
          await runEight(env);
          expect(await statuses(env, ids)).toEqual(ids.map(() => "pending"));
          expect(env.claims).toEqual([]);
          // Its status says why: the rule holding its task.
          expect((await env.durable.status("e1")).pausedBy).toEqual(created);
          await env.durable.pauseRules.delete(created.ruleId);
          // Without push, workers see the deletion at their next read (one poll interval).
          env.clock.advance("1s");
          await runEight(env);
          expect(await statuses(env, ids)).toEqual(ids.map(() => "completed"));
        },
      );

      test(
        "expiredRulesRelease",
        "expired rules release: a task rule and a step rule stop holding once the clock passes them",
        async () => {
          const env = await h.env(TWO_STEPS);
          await env.durable.pauseRules.create({ taskName: "two-steps", for: "1h" });
          await env.durable.start("held", "two-steps", null);
          await runEight(env);
          expect(await statuses(env, ["held"])).toEqual(["pending"]);
          env.clock.advance("1h");
          expect(await env.durable.pauseRules.list()).toEqual([]);
          await runEight(env);
          expect(await statuses(env, ["held"])).toEqual(["completed"]);

          await env.durable.pauseRules.create({ taskName: "two-steps", stepName: "b", for: "1h" });
          await env.durable.start("at-b", "two-steps", null);
          await runEight(env);
          const paused = await env.durable.status("at-b");
          expect(paused.status).toBe("paused");
          env.clock.advance("1h");
          await runEight(env);
          expect(await env.durable.status("at-b")).toMatchObject({ status: "completed", result: 3 });
        },
      );

      test(
        "pausesAtNamedStep",
        "a step rule pauses an execution before that step (earlier steps done); resume releases it",
        async () => {
          const env = await h.env(TWO_STEPS);
          await env.durable.pauseRules.create({ taskName: "two-steps", stepName: "b" });
          await env.durable.start("e1", "two-steps", null);
          await env.run();
          const details = await env.scheduler.getExecution("e1");
          expect(details?.execution.status).toBe("paused");
          expect(details?.steps.map((s) => [s.name, s.status])).toEqual([
            ["a", "completed"],
            ["b", "paused"],
          ]);
          expect((await env.durable.status("e1")).pausedBy).toMatchObject({ stepName: "b" });
          await env.durable.resume("e1");
          // Resumed by hand while the rule still holds step b: it pauses there again.
          await env.run();
          expect((await env.durable.status("e1")).status).toBe("paused");
          const [only] = await env.durable.pauseRules.list();
          await env.durable.pauseRules.delete(only!.ruleId);
          env.clock.advance("1s");
          await env.run();
          expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: 3 });
        },
      );

      test(
        "refusesBadRules",
        "refuses an empty task or step, a zero or negative duration, a past expiry; nothing stored",
        async () => {
          const env = await h.env();
          const { pauseRules } = env.durable;
          const refused = (call: Promise<unknown>) => call.catch((e: unknown) => e);
          const past = new Date(env.clock.now().getTime() - 1);
          for (const bad of [
            { taskName: "" },
            { taskName: "t", stepName: "" },
            { taskName: "t", for: -5 },
            { taskName: "t", for: "0s" },
            { taskName: "t", for: "soon" },
            { taskName: "t", until: past },
            { taskName: "t", for: "1h", until: new Date(env.clock.now().getTime() + 1000) },
          ]) {
            expect(await refused(pauseRules.create(bad as never))).toBeInstanceOf(ValidationError);
          }
          expect(await pauseRules.list()).toEqual([]);
          const missing = await refused(pauseRules.delete("nope"));
          expect(missing).toBeInstanceOf(PauseRuleNotFoundError);
          expect(missing).toMatchObject({ code: "PAUSE_RULE_NOT_FOUND" });
        },
      );
    });
  },
);
