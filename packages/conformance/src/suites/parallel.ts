import { defineTask, StepFailedError, ZartError } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { codesOf, finishes, gate, until } from "../harness.js";

/**
 * A barrier that opens once `parties` callers have arrived. Each caller waits for the others; a
 * caller that waits 10 s in vain gets an error (so a store that runs the children one at a time
 * fails the test instead of hanging it).
 */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  const all = gate();
  return async () => {
    if (++arrived === parties) all.open();
    await finishes(all.promise, `all ${parties} children to run at once`);
  };
}

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const PARALLEL_TESTS = [
  "runsChildrenAtOnce",
  "showsChildrenInStatus",
  "waitAllThrowsAfterAllSettle",
  "waitAllSettledReportsOutcomes",
  "replaysChildFromEarlierSteps",
  "failsDivergedChild",
  "reRunsOnlyUnfinishedChild",
] as const;

/** SPEC §4.4: parallel steps are separate claimable units; the parent wakes once after all settle. */
export const parallelSuite = defineSuite("parallel", PARALLEL_TESTS, (h, test) => {
  describe("scheduleStep / waitAll", () => {
    test(
      "runsChildrenAtOnce",
      "runs three children at once on three workers and wakes the parent exactly once",
      async () => {
        const arrive = barrier(3);
        const childRuns = { z: 0, a: 0, m: 0 };
        let afterWaitAll = 0;
        const task = defineTask({
          name: "fan-out",
          async run(ctx) {
            const handles = (["z", "a", "m"] as const).map((name) =>
              ctx.scheduleStep(name, async () => {
                childRuns[name]++;
                await arrive();
                return name.toUpperCase();
              }),
            );
            const results = await ctx.waitAll(handles);
            afterWaitAll++;
            return results;
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "fan-out", null);
        // No prefetch: each worker holds exactly the one unit it runs (the claim counts below).
        for (let i = 0; i < 3; i++) await env.newWorker({ concurrency: 1, prefetch: 0 }).start();
        const done = await env.durable.wait("e1", { timeout: "20s", pollInterval: 5 });
        expect(done).toMatchObject({ status: "completed", result: ["Z", "A", "M"] });
        expect(done.steps.map((s) => [s.name, s.kind, s.status, s.result, s.attempts])).toEqual([
          ["z", "parallel", "completed", "Z", 1],
          ["a", "parallel", "completed", "A", 1],
          ["m", "parallel", "completed", "M", 1],
        ]);
        expect(childRuns).toEqual({ z: 1, a: 1, m: 1 });
        expect(afterWaitAll).toBe(1);
        expect(env.claimCount("e1", "execution")).toBe(2);
        expect(env.claimCount("e1", "child")).toBe(3);
      },
    );

    test(
      "showsChildrenInStatus",
      "shows the children in status() while they run, and releases the parent meanwhile",
      async () => {
        const release = gate();
        const task = defineTask({
          name: "visible-children",
          async run(ctx) {
            const a = ctx.scheduleStep("a", async () => {
              await release.promise;
              return 1;
            });
            const b = ctx.scheduleStep("b", () => 2);
            return ctx.waitAll([a, b]);
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "visible-children", null);
        const running = env.run();
        await until(async () => (await env.durable.status("e1")).steps[1]?.status === "completed", "child b");
        const during = await env.durable.status("e1");
        expect(during.status).toBe("waiting");
        expect(during.steps.map((s) => [s.name, s.kind])).toEqual([
          ["a", "parallel"],
          ["b", "parallel"],
        ]);
        expect(["pending", "running"]).toContain(during.steps[0]?.status);
        release.open();
        await finishes(running, "the parent to complete");
        expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: [1, 2] });
      },
    );

    test(
      "waitAllThrowsAfterAllSettle",
      "waitAll throws StepFailedError listing the failed children only after all have settled",
      async () => {
        let slowFinished = false;
        let slowDoneWhenCaught: boolean | undefined;
        let caught: unknown;
        const task = defineTask({
          name: "one-fails",
          async run(ctx) {
            const ok = ctx.scheduleStep("ok", () => "fine");
            const bad = ctx.scheduleStep("bad", () => {
              throw new ZartError("BOOM", "child failed");
            });
            const slow = ctx.scheduleStep("slow", async () => {
              for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
              slowFinished = true;
              return "slow";
            });
            try {
              await ctx.waitAll([ok, bad, slow]);
            } catch (error) {
              caught = error;
              slowDoneWhenCaught = slowFinished;
            }
            return "handled";
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "one-fails", null);
        await env.run();
        expect(caught).toBeInstanceOf(StepFailedError);
        expect((caught as ZartError).code).toBe("STEP_FAILED");
        expect((caught as ZartError).details?.failedSteps).toEqual(["bad"]);
        expect(codesOf(caught)).toContain("BOOM");
        expect(slowDoneWhenCaught).toBe(true);
        const status = await env.durable.status("e1");
        expect(status).toMatchObject({ status: "completed", result: "handled" });
        expect(status.steps.map((s) => [s.name, s.status])).toEqual([
          ["ok", "completed"],
          ["bad", "failed"],
          ["slow", "completed"],
        ]);
        expect(status.steps[1]?.error?.code).toBe("STEP_FAILED");
        expect(env.claimCount("e1")).toBe(2);
      },
    );

    test(
      "waitAllSettledReportsOutcomes",
      "waitAllSettled never throws and reports each child's outcome in order",
      async () => {
        const task = defineTask({
          name: "settled",
          async run(ctx) {
            const a = ctx.scheduleStep("a", () => 1);
            const b = ctx.scheduleStep("b", (): number => {
              throw new ZartError("BOOM", "no");
            });
            const [first, second] = await ctx.waitAllSettled([a, b]);
            return {
              first,
              secondStatus: second.status,
              secondIsError: second.status === "rejected" && second.reason instanceof Error,
              secondCodes: second.status === "rejected" ? codesOf(second.reason) : [],
            };
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "settled", null);
        await env.run();
        const status = await env.durable.status("e1");
        expect(status.status).toBe("completed");
        expect(status.result).toMatchObject({
          first: { status: "fulfilled", value: 1 },
          secondStatus: "rejected",
          secondIsError: true,
        });
        expect((status.result as { secondCodes: unknown[] }).secondCodes).toContain("BOOM");
      },
    );

    test(
      "replaysChildFromEarlierSteps",
      "replays each child from the steps before it, through an earlier fan-out",
      async () => {
        const task = defineTask({
          name: "two-fan-outs",
          async run(ctx) {
            const base = await ctx.step("base", () => 10);
            const [first] = await ctx.waitAll([ctx.scheduleStep("first", () => base + 1)]);
            const mid = await ctx.step("mid", () => first * 2);
            const handles = [1, 2, 3, 4, 5].map((i) => ctx.scheduleStep(`fan-${i}`, () => mid + i));
            return ctx.waitAll(handles);
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "two-fan-outs", null);
        await env.run();
        expect(await env.durable.status("e1")).toMatchObject({
          status: "completed",
          result: [23, 24, 25, 26, 27],
        });
        const children = env.claims.flatMap((work) => (work.kind === "child" ? [work] : []));
        expect(children).toHaveLength(6);
        for (const { child, steps } of children) {
          expect(steps.map((s) => s.position)).toEqual([...Array(child.position).keys()]);
        }
        const third = children.find((work) => work.child.name === "fan-3");
        expect(third?.steps.map((s) => [s.name, s.kind])).toEqual([
          ["base", "step"],
          ["first", "parallel"],
          ["mid", "step"],
          ["fan-1", "parallel"],
          ["fan-2", "parallel"],
        ]);
      },
    );

    test(
      "failsDivergedChild",
      "fails a child whose position the task's code now gives another step, without running it",
      async () => {
        let ran = 0;
        const task = defineTask({
          name: "evolving",
          async run(ctx) {
            return ctx.waitAll([ctx.scheduleStep("renamed", () => ++ran)]);
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "evolving", null);
        // The previous code dispatched child "a" at position 0 before the deploy.
        const [parent] = await env.scheduler.claim({
          workerId: "old",
          taskNames: ["evolving"],
          limit: 1,
          leaseMs: 30_000,
          now: env.clock.now(),
        });
        const children = [{ position: 0, name: "a" }];
        await env.scheduler.dispatchChildren(parent!.lease, { children }, {}, env.clock.now());
        await env.run();
        const status = await env.durable.status("e1");
        expect(ran).toBe(0);
        expect(status.steps[0]).toMatchObject({ name: "a", status: "failed" });
        expect(status.steps[0]?.error?.code).toBe("NON_DETERMINISM");
        expect(status).toMatchObject({ status: "failed", error: { code: "NON_DETERMINISM" } });
      },
    );

    test(
      "reRunsOnlyUnfinishedChild",
      "re-runs only the unfinished child after a worker dies with two of three finished",
      async () => {
        const runs = { a: 0, b: 0, c: 0 };
        const stuck = gate();
        const cStarted = gate();
        const task = defineTask({
          name: "crash",
          async run(ctx) {
            const handles = (["a", "b", "c"] as const).map((name) =>
              ctx.scheduleStep(name, async () => {
                const run = ++runs[name];
                if (name === "c" && run === 1) {
                  cStarted.open();
                  await stuck.promise;
                }
                return `${name}${run}`;
              }),
            );
            return ctx.waitAll(handles);
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "crash", null);
        const doomed = env.newWorker({ concurrency: 3, leaseDuration: "30s" });
        const doomedRun = doomed.runUntilIdle();
        await cStarted.promise;
        await until(async () => {
          const steps = (await env.durable.status("e1")).steps;
          return steps.filter((s) => s.status === "completed").length === 2;
        }, "children a and b to finish");

        env.clock.advance("31s");
        const survivor = env.newWorker({ leaseDuration: "30s" });
        await survivor.runUntilIdle();
        const status = await env.durable.status("e1");
        expect(status).toMatchObject({ status: "completed", result: ["a1", "b1", "c2"] });
        expect(runs).toEqual({ a: 1, b: 1, c: 2 });

        stuck.open();
        await finishes(doomedRun, "the first worker to drop its lost child run");
        const after = await env.durable.status("e1");
        expect(after.result).toEqual(["a1", "b1", "c2"]);
        expect(after.steps.map((s) => s.result)).toEqual(["a1", "b1", "c2"]);
      },
    );
  });
});
