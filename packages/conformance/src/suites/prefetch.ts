import { defineTask } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { finishes, type Gate, gate, until } from "../harness.js";

/** A one-step task; with `{ block: true }` its step opens `started`, then waits for `release`. */
function blockingTask(started: Gate, release: Gate) {
  return defineTask({
    name: "blocking",
    async run(ctx, data: { block: boolean }) {
      return ctx.step("only", async () => {
        if (data.block) {
          started.open();
          await release.promise;
        }
        return "done";
      });
    },
  });
}

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const PREFETCH_TESTS = [
  "runsEachExecutionOnce",
  "givesPrefetchedUnitsBack",
  "renewsPrefetchedLeases",
  "givesUnitBackAfterPollInterval",
] as const;

/** `WorkerOptions.prefetch`: units claimed ahead of a free slot. */
export const prefetchSuite = defineSuite("prefetch", PREFETCH_TESTS, (h, test) => {
  describe("prefetch", () => {
    test(
      "runsEachExecutionOnce",
      "runs every execution once and never more than `concurrency` at a time",
      async () => {
        let active = 0;
        let peak = 0;
        const runs = new Map<string, number>();
        const task = defineTask({
          name: "counted",
          async run(ctx) {
            return ctx.step("only", async () => {
              active++;
              peak = Math.max(peak, active);
              runs.set(ctx.executionId, (runs.get(ctx.executionId) ?? 0) + 1);
              await new Promise((resolve) => setTimeout(resolve, 1));
              active--;
              return "ok";
            });
          },
        });
        const env = await h.env(task);
        const total = 60;
        for (let i = 0; i < total; i++) await env.durable.start(`e${i}`, "counted", null);
        await env.newWorker({ concurrency: 2, prefetch: 5 }).runUntilIdle();

        expect(peak).toBe(2);
        expect(runs.size).toBe(total);
        expect([...runs.values()].every((n) => n === 1)).toBe(true);
        expect(await env.durable.listExecutions({ status: "completed", limit: 100 })).toHaveLength(total);
      },
    );

    test(
      "givesPrefetchedUnitsBack",
      "gives prefetched units back when the worker stops, so another worker takes them at once",
      async () => {
        const first = gate();
        const started = gate();
        const task = blockingTask(started, first);
        const env = await h.env(task);
        await env.durable.start("blocker", "blocking", { block: true });
        const holder = env.newWorker({ concurrency: 1, prefetch: 3 });
        await holder.start();
        await started.promise;
        for (let i = 0; i < 3; i++) await env.durable.start(`queued${i}`, "blocking", { block: false });
        await until(() => env.claims.length === 4, "the holder to prefetch the three queued executions");

        const stopping = holder.stop();
        // Without the give-back they would stay leased for 30 s of a clock that never moves.
        await until(async () => {
          const statuses = await env.durable.listExecutions({ status: "pending", limit: 10 });
          return statuses.length === 3;
        }, "the holder to give the prefetched executions back");
        await env.newWorker().runUntilIdle();
        for (let i = 0; i < 3; i++) {
          expect(await env.durable.status(`queued${i}`)).toMatchObject({ status: "completed" });
          expect(env.claimCount(`queued${i}`)).toBe(2);
        }
        first.open();
        await finishes(stopping, "the holder to stop after its running unit");
        expect(await env.durable.status("blocker")).toMatchObject({ status: "completed" });
      },
    );

    test("renewsPrefetchedLeases", "keeps the leases of prefetched units alive while they wait", async () => {
      const release = gate();
      const started = gate();
      const task = blockingTask(started, release);
      const env = await h.env(task);
      await env.durable.start("blocker", "blocking", { block: true });
      // A poll interval far above the renewal period, so the unit is not given back meanwhile.
      const holder = env.newWorker({
        concurrency: 1,
        prefetch: 1,
        leaseDuration: 300,
        pollInterval: 5_000,
      });
      const running = holder.start();
      await started.promise;
      await running;
      await env.durable.start("queued", "blocking", { block: false });
      await until(() => env.claimCount("queued") === 1, "the holder to prefetch the queued execution");
      const claimedUntil = (await env.scheduler.getExecution("queued"))?.execution.leaseExpiresAt;
      env.clock.advance(200);
      await until(async () => {
        const expiresAt = (await env.scheduler.getExecution("queued"))?.execution.leaseExpiresAt;
        return expiresAt !== undefined && claimedUntil !== undefined && expiresAt > claimedUntil;
      }, "a heartbeat to renew the prefetched unit's lease");
      env.clock.advance(200);
      const intruder = await env.scheduler.claim({
        workerId: "intruder",
        taskNames: env.registry.names(),
        limit: 10,
        leaseMs: 30_000,
        now: env.clock.now(),
      });
      expect(intruder.map((unit) => unit.lease.executionId)).not.toContain("queued");
      release.open();
      await until(
        async () => (await env.durable.status("queued")).status === "completed",
        "the prefetched execution to run",
      );
      expect(env.claimCount("queued")).toBe(1);
    });

    test(
      "givesUnitBackAfterPollInterval",
      "gives a unit back when it waited a whole pollInterval, so an idle worker runs it",
      async () => {
        const release = gate();
        const started = gate();
        const task = blockingTask(started, release);
        const env = await h.env(task);
        await env.durable.start("blocker", "blocking", { block: true });
        const holder = env.newWorker({ concurrency: 1, prefetch: 1, pollInterval: 50 });
        await holder.start();
        await started.promise;
        await env.durable.start("queued", "blocking", { block: false });
        await until(() => env.claimCount("queued") === 1, "the holder to prefetch the queued execution");

        const idle = env.newWorker({ prefetch: 0, pollInterval: 50 });
        await idle.start();
        await until(
          async () => (await env.durable.status("queued")).status === "completed",
          "the idle worker to run the execution the busy one gave back",
        );
        expect(env.claimCount("queued")).toBe(2);
        expect(await env.durable.status("blocker")).toMatchObject({ status: "running" });
        release.open();
        await until(
          async () => (await env.durable.status("blocker")).status === "completed",
          "the blocker to finish",
        );
      },
    );
  });
});
