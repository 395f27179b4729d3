import {
  defineTask,
  ExecutionAlreadyExistsError,
  ExecutionNotFoundError,
  RunNotFoundError,
} from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const RUN_HISTORY_TESTS = [
  "keepsEarlierRunIntact",
  "signalWithStartArchives",
  "rejectsUnknownRun",
  "archivesOnceAmongRacing",
  "purgesOldRuns",
] as const;

/** Run history: a start that replaces a terminal execution keeps the previous run readable. */
export const runHistorySuite = defineSuite("run-history", RUN_HISTORY_TESTS, (h, test) => {
  const echo = defineTask({
    name: "echo-run",
    async run(ctx, input: string) {
      return ctx.step("say", async () => `said ${input}`);
    },
  });

  describe("run history", () => {
    test(
      "keepsEarlierRunIntact",
      "keeps run 1 with its steps and mailbox intact after run 2 completes",
      async () => {
        const env = await h.env(echo);
        await env.durable.start("e1", "echo-run", "one");
        await env.durable.offerEvent("e1", "note", "first");
        await env.run();
        env.clock.advance("1m");
        await env.durable.start("e1", "echo-run", "two");
        await env.run();

        const current = await env.durable.status("e1");
        expect(current).toMatchObject({ run: 2, status: "completed", result: "said two", payload: "two" });
        expect(current.events).toEqual([]);
        const first = await env.durable.status("e1", { run: 1 });
        expect(first).toMatchObject({ run: 1, status: "completed", result: "said one", payload: "one" });
        expect(first.steps.map((s) => [s.name, s.result])).toEqual([["say", "said one"]]);
        expect(first.events.map((e) => [e.eventName, e.payload])).toEqual([["note", "first"]]);
        expect(await env.durable.status("e1", { run: 2 })).toEqual(current);

        const runs = await env.durable.listRuns("e1");
        expect(runs.map((r) => [r.run, r.status, r.task])).toEqual([
          [2, "completed", "echo-run"],
          [1, "completed", "echo-run"],
        ]);
        expect(runs[1]!.completedAt).toEqual(first.completedAt);
      },
    );

    test(
      "signalWithStartArchives",
      "signal-with-start on a finished id archives it and begins the next run",
      async () => {
        const env = await h.env(echo);
        await env.durable.start("e1", "echo-run", "one");
        await env.run();
        await env.durable.offerEvent("e1", "note", "hi", {
          startIfMissing: { task: "echo-run", data: "two" },
        });
        expect(await env.durable.status("e1")).toMatchObject({ run: 2, status: "pending", payload: "two" });
        expect(await env.durable.status("e1", { run: 1 })).toMatchObject({ run: 1, result: "said one" });
      },
    );

    test(
      "rejectsUnknownRun",
      "answers an unknown run with RunNotFoundError and an unknown id with ExecutionNotFoundError",
      async () => {
        const env = await h.env(echo);
        await env.durable.start("e1", "echo-run", "one");
        await expect(env.durable.status("e1", { run: 2 })).rejects.toBeInstanceOf(RunNotFoundError);
        await expect(env.durable.status("nope", { run: 1 })).rejects.toBeInstanceOf(ExecutionNotFoundError);
        await expect(env.durable.listRuns("nope")).rejects.toBeInstanceOf(ExecutionNotFoundError);
      },
    );

    test(
      "archivesOnceAmongRacing",
      "archives exactly once among racing starts of a terminal id",
      async () => {
        const env = await h.env(echo);
        await env.durable.start("e1", "echo-run", "one");
        await env.run();
        const schedulers = [env.scheduler, ...(await Promise.all([1, 2, 3].map(() => env.newScheduler())))];
        const now = env.clock.now();
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            schedulers[i % schedulers.length]!.createExecution(
              { executionId: "e1", taskName: "echo-run", payload: `"r${i}"`, runAt: now },
              now,
            ),
          ),
        );
        expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
        for (const o of outcomes) {
          if (o.status === "rejected") expect(o.reason).toBeInstanceOf(ExecutionAlreadyExistsError);
        }
        expect((await env.durable.listRuns("e1")).map((r) => [r.run, r.status])).toEqual([
          [2, "pending"],
          [1, "completed"],
        ]);
      },
    );

    test(
      "purgesOldRuns",
      "purges old runs by their completion time, and every run with a purged execution",
      async () => {
        const env = await h.env(echo);
        await env.durable.start("e1", "echo-run", "one");
        await env.run();
        env.clock.advance("2h");
        await env.durable.start("e1", "echo-run", "two");
        await env.run();
        expect(await env.durable.purge({ olderThan: "1h" })).toBe(1);
        expect((await env.durable.listRuns("e1")).map((r) => r.run)).toEqual([2]);
        await expect(env.durable.status("e1", { run: 1 })).rejects.toBeInstanceOf(RunNotFoundError);

        env.clock.advance("2h");
        await env.durable.start("e1", "echo-run", "three");
        await env.run();
        env.clock.advance("2h");
        expect(await env.durable.purge({ olderThan: "1h" })).toBe(2);
        await expect(env.durable.listRuns("e1")).rejects.toBeInstanceOf(ExecutionNotFoundError);
      },
    );
  });
});
