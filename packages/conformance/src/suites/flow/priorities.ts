import { defineTask, ValidationError } from "@zart/core";
import { describe, expect } from "vitest";
import type { SuiteTest } from "../../define-suite.js";
import type { Harness } from "../../harness.js";
import { verbEnv } from "../verbs/support.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const PRIORITIES_TESTS = [
  "claimsHigherPriorityFirst",
  "ranksParallelChildrenAsZero",
  "rejectsBadPriority",
] as const;

/** Issue #14: `start(…, { priority })` orders the claim, higher first, then the oldest due. */
export function prioritiesSuite(h: Harness, test: SuiteTest<(typeof PRIORITIES_TESTS)[number]>): void {
  describe("priorities", () => {
    test(
      "claimsHigherPriorityFirst",
      "claims higher priority first, then the oldest due, and never work that is not due",
      async () => {
        const { clock, scheduler, now, claim } = await verbEnv(h);
        const start = (executionId: string, priority: number, runAt = now()) =>
          scheduler.createExecution(
            { executionId, taskName: "task", payload: "null", runAt, ...(priority ? { priority } : {}) },
            now(),
          );
        await start("low-old", 0);
        clock.advance("1s");
        await start("high-late", 5, new Date(now().getTime() + 20_000));
        await start("mid", 1);
        clock.advance("1s");
        await start("high-new", 5);
        await start("low-new", 0);
        clock.advance("1s");
        await start("high-old", 5, new Date(now().getTime() - 10_000));

        const order: string[] = [];
        for (let i = 0; i < 5; i++) {
          const work = await claim(`w${i}`, 1);
          order.push(...work.map((unit) => unit.lease.executionId));
        }
        expect(order).toEqual(["high-old", "high-new", "mid", "low-old", "low-new"]);
        expect(await claim("w9", 10)).toEqual([]);
        clock.advance("20s"); // past high-late's runAt, before the leases above expire
        const late = await claim("w9", 10);
        expect(late.map((unit) => unit.lease.executionId)).toEqual(["high-late"]);
        expect(late[0]?.execution.priority).toBe(5);
      },
    );

    test(
      "ranksParallelChildrenAsZero",
      "ranks parallel children as priority 0: after prioritized executions, by due time among the rest",
      async () => {
        const { clock, scheduler, now, claim } = await verbEnv(h);
        const start = (executionId: string, priority?: number) =>
          scheduler.createExecution(
            {
              executionId,
              taskName: "task",
              payload: "null",
              runAt: now(),
              ...(priority ? { priority } : {}),
            },
            now(),
          );
        await start("parent", 3);
        const [parent] = await claim("w1", 1);
        await scheduler.dispatchChildren(
          parent!.lease,
          { children: [{ position: 0, name: "c0" }] },
          {},
          now(),
        );
        clock.advance("1s");
        await start("plain");
        await start("prioritized", 1);
        const order = (await claim("w2", 3)).map((unit) => `${unit.kind}:${unit.lease.executionId}`);
        expect(order).toEqual(["execution:prioritized", "child:parent", "execution:plain"]);
      },
    );

    test(
      "rejectsBadPriority",
      "rejects a negative, fractional or non-number priority at start, persisting nothing",
      async () => {
        const task = defineTask({ name: "t", run: async () => "ok" });
        const env = await h.env(task);
        for (const priority of [-1, 1.5, Number.NaN, "1" as unknown as number, 2 ** 31]) {
          await expect(env.durable.start("e1", "t", null, { priority })).rejects.toBeInstanceOf(
            ValidationError,
          );
        }
        expect(await env.scheduler.getExecution("e1")).toBeUndefined();
        await env.durable.start("e1", "t", null, { priority: 7 });
        expect((await env.scheduler.getExecution("e1"))?.execution.priority).toBe(7);
      },
    );
  });
}
