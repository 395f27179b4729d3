import { defineTask, ValidationError } from "@zart/core";
import type { DebounceOutcome } from "@zart/core/store";
import { describe, expect } from "vitest";
import type { SuiteTest } from "../../define-suite.js";
import type { Harness } from "../../harness.js";
import { verbEnv } from "../verbs/support.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const DEBOUNCE_TESTS = [
  "collapsesRacingBurst",
  "movesDueTimeAndRunsLastData",
  "startsAnewAfterClaim",
  "timeoutCapsDelay",
  "debouncesStartManyItems",
  "rejectsBadDebounce",
  "purgeRemovesHolder",
] as const;

const BURST = 100;
const CLIENTS = 4;

/** Issue #14: `start(…, { debounce: { key, period, timeout? } })`. */
export function debounceSuite(h: Harness, test: SuiteTest<(typeof DEBOUNCE_TESTS)[number]>): void {
  describe("debounce", () => {
    test(
      "collapsesRacingBurst",
      `collapses ${BURST} racing debounced starts of one key into one execution with the last write's data`,
      async () => {
        const { env, scheduler, now } = await verbEnv(h);
        const schedulers = [scheduler];
        for (let i = 1; i < CLIENTS; i++) schedulers.push(await env.newScheduler());
        const runAt = new Date(now().getTime() + 5_000);
        const outcomes = await Promise.all(
          Array.from({ length: BURST }, (_, i) =>
            schedulers[i % CLIENTS]!.debounceExecution(
              {
                execution: { executionId: `e${i}`, taskName: "task", payload: `{"n":${i}}`, runAt },
                key: "user-1",
              },
              now(),
            ),
          ),
        );
        const ids = new Set(outcomes.map((outcome) => outcome.execution.executionId));
        expect(ids.size).toBe(1);
        const [id] = [...ids] as [string];
        // The store numbers the starts in the order it serialized them, each number once.
        expect(outcomes.map((outcome) => outcome.starts).sort((a, b) => a - b)).toEqual(
          Array.from({ length: BURST }, (_, i) => i + 1),
        );
        const last = outcomes.find((outcome) => outcome.starts === BURST) as DebounceOutcome;
        const stored = (await scheduler.getExecution(id))?.execution;
        expect(stored?.payload).toBe(last.execution.payload);
        expect(stored?.status).toBe("pending");
        const listed = await scheduler.listExecutions({ taskName: "task", limit: 1000, offset: 0 });
        expect(listed.map((details) => details.execution.executionId)).toEqual([id]);
      },
    );

    test(
      "movesDueTimeAndRunsLastData",
      "pushes the due time to now + period on each start and runs once, with the last start's data",
      async () => {
        const runs: unknown[] = [];
        const task = defineTask({
          name: "digest",
          run: async (_ctx, data: { n: number }) => {
            runs.push(data);
            return data.n;
          },
        });
        const env = await h.env(task);
        const debounce = { key: "user-1", period: "10s" } as const;
        const first = await env.durable.start("d1", "digest", { n: 1 }, { debounce });
        env.clock.advance("6s");
        const second = await env.durable.start("d2", "digest", { n: 2 }, { debounce });
        expect(second.executionId).toBe("d1");
        expect(first.executionId).toBe("d1");
        const record = (await env.scheduler.getExecution("d1"))?.execution;
        expect(record?.runAt?.getTime()).toBe(env.clock.now().getTime() + 10_000);
        expect(await env.scheduler.getExecution("d2")).toBeUndefined();
        env.clock.advance("9s"); // 15 s after the first start, before the pushed due time
        await env.run();
        expect(runs).toEqual([]);
        env.clock.advance("1s");
        await env.run();
        expect(runs).toEqual([{ n: 2 }]);
        expect((await env.durable.status("d1")).result).toBe(2);
      },
    );

    test(
      "purgeRemovesHolder",
      "forgets the holder when its execution is purged, so a reused id is never taken for the holder",
      async () => {
        const { scheduler, now, claimOne, clock } = await verbEnv(h);
        const debounce = (executionId: string, n: number) =>
          scheduler.debounceExecution(
            { execution: { executionId, taskName: "task", payload: `{"n":${n}}`, runAt: now() }, key: "k" },
            now(),
          );
        expect((await debounce("x", 1)).execution.executionId).toBe("x");
        const work = await claimOne();
        await scheduler.completeExecution(work.lease, { result: "1" }, {}, now());
        clock.advance(60_000);
        expect(await scheduler.purge({ olderThan: now() })).toBe(1);
        // The id is free again: a plain start reuses it, as the first run of a new execution.
        await scheduler.createExecution(
          { executionId: "x", taskName: "task", payload: '"mine"', runAt: now() },
          now(),
        );
        const outcome = await debounce("y", 2);
        expect(outcome).toMatchObject({ starts: 1, execution: { executionId: "y", payload: '{"n":2}' } });
        expect((await scheduler.getExecution("x"))?.execution.payload).toBe('"mine"');
      },
    );

    test(
      "startsAnewAfterClaim",
      "starts a new execution once the holder was claimed, and again after a cancel",
      async () => {
        const { scheduler, now, claim, clock } = await verbEnv(h);
        const debounced = (executionId: string, n: number) =>
          scheduler.debounceExecution(
            { execution: { executionId, taskName: "task", payload: `{"n":${n}}`, runAt: now() }, key: "k" },
            now(),
          );
        expect((await debounced("a", 1)).execution.executionId).toBe("a");
        const claimed = await claim("w1", 10);
        expect(claimed.map((unit) => unit.lease.executionId)).toEqual(["a"]);
        const next = await debounced("b", 2);
        expect(next).toMatchObject({ starts: 1, execution: { executionId: "b", payload: '{"n":2}' } });
        expect((await scheduler.getExecution("a"))?.execution.payload).toBe('{"n":1}');
        await scheduler.cancelExecution("b", now());
        clock.advance("1s");
        expect((await debounced("c", 3)).execution.executionId).toBe("c");
        expect((await debounced("d", 4)).execution.executionId).toBe("c");
      },
    );

    test("timeoutCapsDelay", "never pushes the due time beyond first start + timeout", async () => {
      const task = defineTask({ name: "digest", run: async (_ctx, data: { n: number }) => data.n });
      const env = await h.env(task);
      const start0 = env.clock.now().getTime();
      const debounce = { key: "k", period: "10s", timeout: "15s" } as const;
      await env.durable.start("d1", "digest", { n: 1 }, { debounce });
      env.clock.advance("4s");
      await env.durable.start("d2", "digest", { n: 2 }, { debounce });
      expect((await env.scheduler.getExecution("d1"))?.execution.runAt?.getTime()).toBe(start0 + 14_000);
      env.clock.advance("4s");
      await env.durable.start("d3", "digest", { n: 3 }, { debounce });
      expect((await env.scheduler.getExecution("d1"))?.execution.runAt?.getTime()).toBe(start0 + 15_000);
      env.clock.advance("7s");
      await env.run();
      expect((await env.durable.status("d1")).result).toBe(3);
    });

    test(
      "debouncesStartManyItems",
      "debounces startMany items in input order beside plain ones, answering the id that will run",
      async () => {
        const task = defineTask({ name: "digest", run: async (_ctx, data: { n: number }) => data.n });
        const env = await h.env(task);
        const options = { debounce: { key: "k", period: "5s" } } as const;
        const results = await env.durable.startMany([
          { executionId: "d1", taskName: "digest", data: { n: 1 }, options },
          { executionId: "plain", taskName: "digest", data: { n: 0 } },
          { executionId: "d2", taskName: "digest", data: { n: 2 }, options },
          { executionId: "bad", taskName: "digest", data: { n: 3 }, options: { ...options, delay: "1s" } },
        ]);
        expect(results.map(({ executionId, outcome }) => [executionId, outcome])).toEqual([
          ["d1", "created"],
          ["plain", "created"],
          ["d1", "debounced"],
          ["bad", "invalid"],
        ]);
        expect((await env.scheduler.getExecution("d1"))?.execution.payload).toBe('{"n":2}');
        expect(await env.scheduler.getExecution("d2")).toBeUndefined();
        expect(await env.scheduler.getExecution("bad")).toBeUndefined();
      },
    );

    test(
      "rejectsBadDebounce",
      "rejects an empty key, a period that is not a duration and debounce with runAt, delay or transaction",
      async () => {
        const task = defineTask({ name: "digest", run: async () => "ok" });
        const env = await h.env(task);
        const bad: Record<string, unknown>[] = [
          { debounce: { key: "", period: "1s" } },
          { debounce: { period: "1s" } },
          { debounce: { key: "k", period: "soon" } },
          { debounce: { key: "k", period: -1 } },
          { debounce: { key: "k", period: "1s", timeout: "later" } },
          { debounce: "k" },
          { debounce: { key: "k", period: "1s" }, delay: "1s" },
          { debounce: { key: "k", period: "1s" }, runAt: new Date() },
          { debounce: { key: "k", period: "1s" }, transaction: {} },
        ];
        for (const options of bad) {
          await expect(env.durable.start("d1", "digest", null, options)).rejects.toBeInstanceOf(
            ValidationError,
          );
        }
        expect(await env.scheduler.getExecution("d1")).toBeUndefined();
      },
    );
  });
}
