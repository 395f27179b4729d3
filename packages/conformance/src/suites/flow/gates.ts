import { defineTask, type Scheduler, ValidationError } from "@zart/core";
import { describe, expect } from "vitest";
import type { SuiteTest } from "../../define-suite.js";
import type { Harness } from "../../harness.js";
import { verbEnv } from "../verbs/support.js";

const MINUTE = 60_000;

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const GATES_TESTS = [
  "takesExactlyLimitPerWindow",
  "gatesExecutionsAcrossWorkers",
  "rejectsBadGate",
] as const;

/** Issue #14: `ctx.gate(name, { limit, period, key? })`, a shared durable rate-limit gate. */
export function gatesSuite(h: Harness, test: SuiteTest<(typeof GATES_TESTS)[number]>): void {
  describe("gates", () => {
    test(
      "takesExactlyLimitPerWindow",
      "takeRateToken gives exactly the limit per window and key to 8 racing takers",
      async () => {
        const { env, clock, scheduler, now } = await verbEnv(h);
        clock.advance(MINUTE - (now().getTime() % MINUTE));
        const takers: Scheduler[] = [scheduler];
        for (let i = 1; i < 8; i++) takers.push(await env.newScheduler());
        for (let window = 0; window < 3; window++) {
          const end = new Date(now().getTime() + MINUTE);
          const outcomes = await Promise.all(
            takers.flatMap((taker) =>
              ["gate:api", "gate:api\nt2"].flatMap((key) =>
                [0, 1].map(() => taker.takeRateToken({ key, limit: 5, periodMs: MINUTE }, now())),
              ),
            ),
          );
          expect(outcomes.filter((outcome) => outcome.taken)).toHaveLength(10);
          for (const outcome of outcomes) if (!outcome.taken) expect(outcome.retryAt).toEqual(end);
          clock.advance(MINUTE);
        }
      },
    );

    test(
      "gatesExecutionsAcrossWorkers",
      "passes at most 5 a minute across 8 workers, wakes each at the window end, and never passes twice",
      async () => {
        const passes: number[] = [];
        let clockNow: () => Date = () => new Date();
        const task = defineTask({
          name: "gated",
          run: async (ctx) => {
            await ctx.gate("api", { limit: 5, period: "1m" });
            await ctx.step("call", async () => {
              passes.push(Math.floor(clockNow().getTime() / MINUTE));
            });
            await ctx.sleep("after", "1s"); // a replay past the gate must not take another pass
            return "ok";
          },
        });
        const env = await h.env(task);
        clockNow = () => env.clock.now();
        env.clock.advance(MINUTE - (env.clock.now().getTime() % MINUTE));
        const TOTAL = 18;
        for (let i = 0; i < TOTAL; i++) await env.durable.start(`g${i}`, "gated", null);
        const workers = [env.worker, ...Array.from({ length: 7 }, () => env.newWorker())];
        for (let round = 0; round < 40; round++) {
          await Promise.all(workers.map((worker) => worker.runUntilIdle()));
          const end = new Date((Math.floor(env.clock.now().getTime() / MINUTE) + 1) * MINUTE);
          for (let i = 0; i < TOTAL; i++) {
            const status = await env.durable.status(`g${i}`);
            const gate = status.steps.find((step) => step.name === "api");
            if (gate?.status === "waiting") expect(status.wakeAt).toEqual(end);
          }
          env.clock.advance("15s");
        }
        for (let i = 0; i < TOTAL; i++) expect((await env.durable.status(`g${i}`)).status).toBe("completed");
        expect(passes).toHaveLength(TOTAL);
        const perWindow = new Map<number, number>();
        for (const window of passes) perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
        expect([...perWindow.values()]).toEqual([5, 5, 5, 3]);
        const status = await env.durable.status("g0");
        expect(status.steps.filter((step) => step.kind === "gate")).toHaveLength(1);
      },
      120_000,
    );

    test("rejectsBadGate", "rejects a bad limit, period, name or key", async () => {
      const bad: [string, unknown][] = [
        ["api", { limit: 0, period: "1m" }],
        ["api", { limit: 2.5, period: "1m" }],
        ["api", { limit: 1, period: "later" }],
        ["api", { limit: 1, period: 0 }],
        ["api", { limit: 1, period: "1m", key: "" }],
        ["", { limit: 1, period: "1m" }],
      ];
      const errors: unknown[] = [];
      const task = defineTask({
        name: "bad-gates",
        run: async (ctx) => {
          for (const [name, options] of bad) {
            await ctx.gate(name, options as never).catch((error: unknown) => errors.push(error));
          }
          return "done";
        },
      });
      const env = await h.env(task);
      await env.durable.start("b1", "bad-gates", null);
      await env.run();
      expect((await env.durable.status("b1")).status).toBe("completed");
      expect(errors).toHaveLength(bad.length);
      for (const error of errors) expect(error).toBeInstanceOf(ValidationError);
    });
  });
}
