import { defineTask, ExecutionCancelledError, LeaseLostError, TaskTimeoutError } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../../define-suite.js";
import { gate, until } from "../../harness.js";

/** Resolves when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const SEMANTICS_CANCEL_SIGNAL_TESTS = [
  "abortsEveryParallelChild",
  "abortsOnCancel",
  "abortsOnCancelSeenAtRenewal",
  "abortsAtTaskDeadline",
  "abortsOnLeaseTakeover",
] as const;

/** Issue 12 items 1–2: a cancel reaches every running unit; `ctx.signal.reason` says why it aborted. */
export const cancelSignalSuite = defineSuite(
  "semantics/cancel-signal",
  SEMANTICS_CANCEL_SIGNAL_TESTS,
  (h, test) => {
    describe("cancel and ctx.signal", () => {
      test(
        "abortsEveryParallelChild",
        "aborts ctx.signal of every running parallel child, on every worker",
        async (t) => {
          const signals: AbortSignal[] = [];
          const allStarted = gate();
          const task = defineTask({
            name: "cancel-every-child",
            async run(ctx) {
              const handles = ["a", "b", "c"].map((name) =>
                ctx.scheduleStep(name, async () => {
                  signals.push(ctx.signal);
                  if (signals.length === 3) allStarted.open();
                  await aborted(ctx.signal);
                  return name;
                }),
              );
              return ctx.waitAll(handles);
            },
          });
          const env = await h.env(task);
          t.skip(!env.scheduler.capabilities.push, "the store has no push wake-ups");
          await env.durable.start("e1", "cancel-every-child", null);
          // With several processes, a second worker over its own connection takes some of the children.
          const multi = env.scheduler.capabilities.multiProcess;
          const workers = [env.newWorker({ concurrency: multi ? 2 : 4 })];
          if (multi) {
            const other = await env.newScheduler();
            workers.push(env.newWorker({ scheduler: other, concurrency: 2 }));
          }
          await Promise.all(workers.map((worker) => worker.start()));
          await allStarted.promise;
          expect(await env.durable.cancel("e1")).toBe(true);
          await until(() => signals.every((signal) => signal.aborted), "every child's signal to abort");
          for (const signal of signals) expect(signal.reason).toBeInstanceOf(ExecutionCancelledError);
          await until(() => workers.every((worker) => worker.activeCount === 0), "every run to stop");
          expect((await env.durable.status("e1")).status).toBe("cancelled");
        },
      );

      test("abortsOnCancel", "aborts with ExecutionCancelledError on cancel", async (t) => {
        const started = gate();
        let reason: unknown;
        const task = defineTask({
          name: "cancel-reason",
          async run(ctx) {
            return ctx.step("listen", async () => {
              started.open();
              await aborted(ctx.signal);
              reason = ctx.signal.reason;
              return "aborted";
            });
          },
        });
        const env = await h.env(task);
        t.skip(!env.scheduler.capabilities.push, "the store has no push wake-ups");
        await env.durable.start("e1", "cancel-reason", null);
        await env.worker.start();
        await started.promise;
        await env.durable.cancel("e1");
        await until(() => reason !== undefined, "the signal to abort");
        expect(reason).toBeInstanceOf(ExecutionCancelledError);
        expect((reason as ExecutionCancelledError).code).toBe("EXECUTION_CANCELLED");
      });

      test(
        "abortsOnCancelSeenAtRenewal",
        "aborts with ExecutionCancelledError when the cancel is learnt at lease renewal (no push)",
        async () => {
          const started = gate();
          let reason: unknown;
          const task = defineTask({
            name: "cancel-reason-renewal",
            async run(ctx) {
              return ctx.step("listen", async () => {
                started.open();
                await aborted(ctx.signal);
                reason = ctx.signal.reason;
                return "aborted";
              });
            },
          });
          const env = await h.env(task);
          // A worker in a process the store's push does not reach.
          const deaf = new Proxy(env.scheduler, {
            get: (target, key) => (key === "subscribe" ? () => () => undefined : Reflect.get(target, key)),
          });
          await env.durable.start("e1", "cancel-reason-renewal", null);
          await env.newWorker({ scheduler: deaf, leaseDuration: 150 }).start();
          await started.promise;
          await env.durable.cancel("e1");
          await until(() => reason !== undefined, "the heartbeat to find the execution cancelled");
          expect(reason).toBeInstanceOf(ExecutionCancelledError);
        },
      );

      test("abortsAtTaskDeadline", "aborts with TaskTimeoutError at the task deadline", async () => {
        let reason: unknown;
        const task = defineTask({
          name: "timeout-reason",
          // Short, so the engine's deadline timer fires while the step waits on the signal.
          timeout: "50ms",
          async run(ctx) {
            return ctx.step("listen", async () => {
              await aborted(ctx.signal);
              reason = ctx.signal.reason;
              return "aborted";
            });
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "timeout-reason", null);
        await env.run();
        expect(reason).toBeInstanceOf(TaskTimeoutError);
        expect((await env.durable.status("e1")).error?.code).toBe("TASK_TIMEOUT");
      });

      test(
        "abortsOnLeaseTakeover",
        "aborts with LeaseLostError when another worker took the lease over",
        async () => {
          const started = gate();
          let reason: unknown;
          const task = defineTask({
            name: "lost-reason",
            async run(ctx) {
              return ctx.step("listen", async () => {
                started.open();
                await aborted(ctx.signal);
                reason = ctx.signal.reason;
                return "aborted";
              });
            },
          });
          const env = await h.env(task);
          await env.durable.start("e1", "lost-reason", null);
          const first = env.newWorker({ leaseDuration: 150 });
          await first.start();
          await started.promise;
          // The lease expires (the clock jumps past it) and another claimer takes the execution over.
          await until(async () => {
            env.clock.advance("1m");
            const taken = await env.scheduler.claim({
              workerId: "intruder",
              taskNames: ["lost-reason"],
              limit: 1,
              leaseMs: 3_600_000,
              now: env.clock.now(),
            });
            return taken.length > 0;
          }, "another worker to take the lease over");
          await until(() => reason !== undefined, "the heartbeat to find the lease lost");
          expect(reason).toBeInstanceOf(LeaseLostError);
        },
      );
    });
  },
);
