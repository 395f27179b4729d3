import { defineTask, ExecutionNotFoundError, ExecutionTerminalError, type ZartError } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { finishes, gate, until } from "../harness.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const CANCELLATION_TESTS = [
  "cancelsWaitingExecution",
  "cancelsPendingExecution",
  "abortsRunningExecution",
  "abortsWhileStepRuns",
  "cancelsParallelChildren",
  "cancelOfTerminalOrUnknown",
] as const;

/** SPEC §4.5: cancel is immediate, fences the running worker, and reaches the children. */
export const cancellationSuite = defineSuite("cancellation", CANCELLATION_TESTS, (h, test) => {
  describe("cancel", () => {
    test("cancelsWaitingExecution", "cancels a waiting execution at once; it never runs again", async () => {
      let runs = 0;
      const task = defineTask({
        name: "cancel-waiting",
        async run(ctx) {
          runs++;
          await ctx.sleep("nap", "1h");
          return "woke";
        },
      });
      const env = await h.env(task);
      await env.durable.start("e1", "cancel-waiting", null);
      await env.run();
      expect(runs).toBe(1);
      expect(await env.durable.cancel("e1")).toBe(true);
      const status = await env.durable.status("e1");
      expect(status).toMatchObject({ status: "cancelled", completedAt: env.clock.now() });
      expect(status.wakeAt).toBeUndefined();

      env.clock.advance("2h");
      await env.run();
      expect(runs).toBe(1);
      expect((await env.durable.status("e1")).status).toBe("cancelled");
      expect(env.claimCount("e1")).toBe(1);
      const offer = await env.durable.offerEvent("e1", "go", 1).catch((e: unknown) => e);
      expect(offer).toBeInstanceOf(ExecutionTerminalError);
    });

    test("cancelsPendingExecution", "cancels a pending execution before any worker claimed it", async () => {
      let runs = 0;
      const task = defineTask({
        name: "cancel-pending",
        async run() {
          runs++;
        },
      });
      const env = await h.env(task);
      await env.durable.start("e1", "cancel-pending", null, { delay: "1m" });
      expect(await env.durable.cancel("e1")).toBe(true);
      env.clock.advance("1h");
      await env.run();
      expect(runs).toBe(0);
      expect((await env.durable.status("e1")).status).toBe("cancelled");
    });

    test(
      "abortsRunningExecution",
      "aborts ctx.signal of a running execution and rejects its next write",
      async () => {
        const started = gate();
        const proceed = gate();
        const signals: AbortSignal[] = [];
        let after = 0;
        const task = defineTask({
          name: "cancel-running",
          async run(ctx) {
            signals.push(ctx.signal);
            await ctx.step("first", async () => {
              started.open();
              await proceed.promise;
              return "first";
            });
            return ctx.step("after", () => ++after);
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "cancel-running", null);
        const running = env.run();
        await started.promise;
        expect(await env.durable.cancel("e1")).toBe(true);
        expect((await env.durable.status("e1")).status).toBe("cancelled");
        proceed.open();
        await finishes(running, "the cancelled run to end");
        expect(signals).toHaveLength(1);
        expect(signals[0]?.aborted).toBe(true);
        expect(after).toBe(0);
        const status = await env.durable.status("e1");
        expect(status.status).toBe("cancelled");
        expect(status.steps).toEqual([]);
        expect(status.result).toBeUndefined();
      },
    );

    test(
      "abortsWhileStepRuns",
      "aborts ctx.signal while the step still runs (stores with push)",
      async (t) => {
        const started = gate();
        const task = defineTask({
          name: "cancel-push",
          async run(ctx) {
            return ctx.step("listen", async () => {
              started.open();
              await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
              return "aborted";
            });
          },
        });
        const env = await h.env(task);
        t.skip(!env.scheduler.capabilities.push, "the store has no push wake-ups");
        await env.durable.start("e1", "cancel-push", null);
        await env.worker.start();
        await started.promise;
        expect(await env.durable.cancel("e1")).toBe(true);
        await until(() => env.worker.activeCount === 0, "the cancelled run to stop");
        const status = await env.durable.status("e1");
        expect(status.status).toBe("cancelled");
        expect(status.steps).toEqual([]);
      },
    );

    test("cancelsParallelChildren", "cancels the parallel children of a cancelled parent", async () => {
      const childrenStarted = { count: 0 };
      const bothStarted = gate();
      const proceed = gate();
      let afterWaitAll = 0;
      const task = defineTask({
        name: "cancel-parent",
        async run(ctx) {
          const handles = ["a", "b"].map((name) =>
            ctx.scheduleStep(name, async () => {
              if (++childrenStarted.count === 2) bothStarted.open();
              await proceed.promise;
              return name;
            }),
          );
          await ctx.waitAll(handles);
          afterWaitAll++;
        },
      });
      const env = await h.env(task);
      await env.durable.start("e1", "cancel-parent", null);
      const running = env.run();
      await bothStarted.promise;
      expect(await env.durable.cancel("e1")).toBe(true);
      const cancelled = await env.durable.status("e1");
      expect(cancelled.status).toBe("cancelled");
      expect(cancelled.steps.map((s) => [s.name, s.kind, s.status])).toEqual([
        ["a", "parallel", "cancelled"],
        ["b", "parallel", "cancelled"],
      ]);
      proceed.open();
      await finishes(running, "the cancelled children's runs to end");
      env.clock.advance("1h");
      await env.run();
      const after = await env.durable.status("e1");
      expect(after.status).toBe("cancelled");
      expect(after.steps.map((s) => s.status)).toEqual(["cancelled", "cancelled"]);
      expect(childrenStarted.count).toBe(2);
      expect(afterWaitAll).toBe(0);
      expect(
        await env.scheduler.claim({
          workerId: "w",
          taskNames: env.registry.names(),
          limit: 10,
          leaseMs: 1000,
          now: env.clock.now(),
        }),
      ).toEqual([]);
    });

    test(
      "cancelOfTerminalOrUnknown",
      "returns false for a terminal execution and throws ExecutionNotFoundError for an unknown one",
      async () => {
        const task = defineTask({
          name: "quick",
          async run() {
            return 1;
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "quick", null);
        await env.run();
        expect(await env.durable.cancel("e1")).toBe(false);
        expect((await env.durable.status("e1")).status).toBe("completed");
        const unknown = await env.durable.cancel("missing").catch((e: unknown) => e);
        expect(unknown).toBeInstanceOf(ExecutionNotFoundError);
        expect((unknown as ZartError).code).toBe("EXECUTION_NOT_FOUND");

        await env.durable.start("e2", "quick", null);
        expect(await env.durable.cancel("e2")).toBe(true);
        expect(await env.durable.cancel("e2")).toBe(false);
        await env.durable.start("e2", "quick", null);
        await env.run();
        expect((await env.durable.status("e2")).status).toBe("completed");
      },
    );
  });
});
