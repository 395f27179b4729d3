import { DurableScheduler, defineTask } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { finishes, gate } from "../harness.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const DURABILITY_TESTS = [
  "finishesOnNewScheduler",
  "runsMigrateConcurrently",
  "gracefulStopAtCheckpoint",
  "immediateStopReleasesLease",
] as const;

/** Executions outlive a scheduler's close and a worker's stop; migrations are safe to run at once. */
export const durabilitySuite = defineSuite("durability", DURABILITY_TESTS, (h, test) => {
  describe("close and reopen", () => {
    test(
      "finishesOnNewScheduler",
      "finishes an execution on a new scheduler after the old one was closed (persistent stores)",
      async (t) => {
        let prepared = 0;
        const task = defineTask({
          name: "survivor",
          async run(ctx, data: { who: string }) {
            await ctx.step("prepare", () => ++prepared);
            ctx.setData({ phase: "waiting" });
            const approval = await ctx.waitForEvent<{ ok: boolean }>("approval");
            return { who: data.who, ok: approval.ok };
          },
        });
        const env = await h.env(task);
        t.skip(!env.scheduler.capabilities.persistent, "the store does not persist across close()");
        await env.durable.start("e1", "survivor", { who: "ann" });
        await env.run();
        expect((await env.durable.status("e1")).status).toBe("waiting");
        await env.scheduler.close();
        await env.scheduler.close();

        const reopened = await env.newScheduler();
        const durable = new DurableScheduler(reopened, { registry: env.registry });
        const before = await durable.status("e1");
        expect(before).toMatchObject({
          status: "waiting",
          payload: { who: "ann" },
          data: { phase: "waiting" },
        });
        expect(before.steps.map((s) => [s.name, s.status])).toEqual([
          ["prepare", "completed"],
          ["approval", "waiting"],
        ]);
        expect(await durable.offerEvent("e1", "approval", { ok: true })).toEqual({ status: "delivered" });
        await env.newWorker({ scheduler: reopened }).runUntilIdle();
        expect(await durable.status("e1")).toMatchObject({
          status: "completed",
          result: { who: "ann", ok: true },
        });
        expect(prepared).toBe(1);
      },
    );

    test("runsMigrateConcurrently", "runs migrate() concurrently from several schedulers", async () => {
      const env = await h.env();
      const schedulers = await Promise.all(Array.from({ length: 5 }, () => env.newScheduler()));
      await Promise.all([...schedulers, env.scheduler].map((scheduler) => scheduler.migrate()));
      await Promise.all(schedulers.map((scheduler) => scheduler.ping()));
    });
  });

  describe("worker stop", () => {
    test(
      "gracefulStopAtCheckpoint",
      "a graceful stop lets the running step finish and gives the execution back at the next checkpoint",
      async () => {
        const started = gate();
        const proceed = gate();
        const calls = { first: 0, second: 0 };
        const task = defineTask({
          name: "graceful",
          async run(ctx) {
            await ctx.step("first", async () => {
              calls.first++;
              started.open();
              await proceed.promise;
            });
            await ctx.step("second", () => ++calls.second);
            return "done";
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "graceful", null);
        await env.worker.start();
        await started.promise;
        const stopping = env.worker.stop();
        proceed.open();
        await finishes(stopping, "the graceful stop");
        await env.worker.stop();
        const released = await env.durable.status("e1");
        expect(released.status).toBe("pending");
        expect(released.steps.map((s) => [s.name, s.status])).toEqual([["first", "completed"]]);
        expect(calls).toEqual({ first: 1, second: 0 });

        await env.newWorker().runUntilIdle();
        expect((await env.durable.status("e1")).status).toBe("completed");
        expect(calls).toEqual({ first: 1, second: 1 });
      },
    );

    test(
      "immediateStopReleasesLease",
      "a stop without grace releases the lease at once; the interrupted step runs again elsewhere",
      async () => {
        const started = gate();
        const stuck = gate();
        const signals: AbortSignal[] = [];
        let calls = 0;
        const task = defineTask({
          name: "abrupt",
          async run(ctx) {
            return ctx.step("work", async () => {
              const n = ++calls;
              signals.push(ctx.signal);
              if (n === 1) {
                started.open();
                await stuck.promise;
              }
              return `run-${n}`;
            });
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "abrupt", null);
        const first = env.newWorker();
        const firstRun = first.runUntilIdle();
        await started.promise;
        await finishes(first.stop({ graceful: false }), "the worker to stop");
        expect(signals[0]?.aborted).toBe(true);

        await env.newWorker().runUntilIdle();
        expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: "run-2" });
        stuck.open();
        await finishes(firstRun, "the stopped worker's runUntilIdle");
        const status = await env.durable.status("e1");
        expect(status.result).toBe("run-2");
        expect(status.steps).toHaveLength(1);
        expect(status.steps[0]).toMatchObject({ result: "run-2", attempts: 1 });
        expect(calls).toBe(2);
      },
    );
  });
});
