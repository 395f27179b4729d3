import { defineTask } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";

/** Counts calls per key in `runs` and returns `value`. */
function counter(runs: Map<string, number>) {
  return <T>(key: string, value: T): T => {
    runs.set(key, (runs.get(key) ?? 0) + 1);
    return value;
  };
}

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const CONCURRENCY_TESTS = [
  "runsEachStepOnce",
  "claimsEachExecutionOnce",
  "sharesWorkBetweenWorkers",
] as const;

/** Many workers and claimers on one storage: every unit is claimed and every step runs exactly once. */
export const concurrencySuite = defineSuite("concurrency", CONCURRENCY_TESTS, (h, test) => {
  describe("concurrent workers", () => {
    test(
      "runsEachStepOnce",
      "finishes 200 executions on 4 workers without running any step twice",
      async () => {
        const runs = new Map<string, number>();
        const once = counter(runs);
        const task = defineTask({
          name: "three-steps",
          async run(ctx, data: { n: number }) {
            const a = await ctx.step("a", () => once(`${ctx.executionId}/a`, data.n));
            const b = await ctx.step("b", () => once(`${ctx.executionId}/b`, a + 1));
            return ctx.step("c", () => once(`${ctx.executionId}/c`, b * 2));
          },
        });
        const env = await h.env(task);
        const total = 200;
        for (let n = 0; n < total; n++) await env.durable.start(`e${n}`, "three-steps", { n });
        const workers = Array.from({ length: 4 }, () => env.newWorker({ concurrency: 4 }));
        await Promise.all(workers.map((worker) => worker.runUntilIdle()));

        const completed = await env.durable.listExecutions({ status: "completed", limit: 1000 });
        expect(completed).toHaveLength(total);
        for (const status of completed) {
          expect(status.result).toBe(((status.payload as { n: number }).n + 1) * 2);
        }
        expect(runs.size).toBe(total * 3);
        expect([...runs.values()].every((n) => n === 1)).toBe(true);
        for (let n = 0; n < total; n++) expect(env.claimCount(`e${n}`)).toBe(1);
      },
    );

    test(
      "claimsEachExecutionOnce",
      "hands each due execution to exactly one of many concurrent claimers",
      async () => {
        const env = await h.env();
        const { scheduler, clock } = env;
        const total = 60;
        for (let i = 0; i < total; i++) {
          await scheduler.createExecution(
            { executionId: `e${i}`, taskName: "raw", payload: "null", runAt: clock.now() },
            clock.now(),
          );
        }
        const claimed: string[] = [];
        const claimer = async (workerId: string) => {
          for (;;) {
            const work = await scheduler.claim({
              workerId,
              taskNames: ["raw"],
              limit: 3,
              leaseMs: 30_000,
              now: clock.now(),
            });
            if (work.length === 0) return;
            claimed.push(...work.map((unit) => unit.lease.executionId));
          }
        };
        await Promise.all(Array.from({ length: 12 }, (_, i) => claimer(`w${i}`)));
        expect(claimed).toHaveLength(total);
        expect(new Set(claimed).size).toBe(total);
      },
    );

    test(
      "sharesWorkBetweenWorkers",
      "shares the work between workers of separate schedulers (multi-process stores)",
      async (t) => {
        const runs = new Map<string, number>();
        const once = counter(runs);
        const task = defineTask({
          name: "counted",
          async run(ctx) {
            return ctx.step("once", () => once(ctx.executionId, "ok"));
          },
        });
        const env = await h.env(task);
        t.skip(!env.scheduler.capabilities.multiProcess, "the store is single-process");
        const total = 100;
        for (let i = 0; i < total; i++) await env.durable.start(`e${i}`, "counted", null);
        const others = await Promise.all([env.newScheduler(), env.newScheduler()]);
        const workers = [
          env.newWorker({ concurrency: 4 }),
          ...others.map((scheduler) => env.newWorker({ scheduler, concurrency: 4 })),
        ];
        await Promise.all(workers.map((worker) => worker.runUntilIdle()));
        const completed = await env.durable.listExecutions({ status: "completed", limit: 1000 });
        expect(completed).toHaveLength(total);
        expect(runs.size).toBe(total);
        expect([...runs.values()].every((n) => n === 1)).toBe(true);
      },
    );
  });
});
