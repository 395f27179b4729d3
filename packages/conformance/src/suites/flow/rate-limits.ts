import { DurableScheduler, defineQueue, defineTask, type Scheduler, ValidationError } from "@zart/core";
import { describe, expect } from "vitest";
import type { SuiteTest } from "../../define-suite.js";
import type { Harness } from "../../harness.js";
import { LEASE_MS, verbEnv } from "../verbs/support.js";

const MINUTE = 60_000;

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const RATE_LIMITS_TESTS = [
  "startsExactlyLimitPerWindow",
  "resumedDoNotCount",
  "persistsRateKey",
  "rejectsBadRateLimit",
] as const;

/** Issue #14: `rateLimit: { limit, period, key? }` bounds the starts per fixed window, fleet-wide. */
export function rateLimitsSuite(h: Harness, test: SuiteTest<(typeof RATE_LIMITS_TESTS)[number]>): void {
  describe("rate limits", () => {
    test(
      "startsExactlyLimitPerWindow",
      "starts exactly 600 over a simulated hour at 10 a minute with 8 racing claimers",
      async () => {
        const { env, clock, scheduler, now } = await verbEnv(h);
        // Start on a window boundary: an hour is then exactly 60 windows.
        clock.advance(MINUTE - (now().getTime() % MINUTE));
        const t0 = now().getTime();
        const TOTAL = 700;
        for (let first = 0; first < TOTAL; first += 100) {
          await Promise.all(
            Array.from({ length: 100 }, (_, i) =>
              scheduler.createExecution(
                {
                  executionId: `e${first + i}`,
                  taskName: "task",
                  payload: "null",
                  runAt: now(),
                  rateKey: "task:task",
                },
                now(),
              ),
            ),
          );
        }
        const claimers: Scheduler[] = [scheduler];
        for (let i = 1; i < 8; i++) claimers.push(await env.newScheduler());
        const startsPerWindow = new Map<number, number>();
        let starts = 0;
        for (let round = 0; now().getTime() < t0 + 60 * MINUTE; round++) {
          const batches = await Promise.all(
            claimers.map((claimer, i) =>
              claimer.claim({
                workerId: `w${i}`,
                taskNames: ["task"],
                limit: 1 + ((round * 7 + i * 3) % 6),
                leaseMs: LEASE_MS,
                now: now(),
                rateLimits: { task: { limit: 10, periodMs: MINUTE } },
              }),
            ),
          );
          const window = Math.floor(now().getTime() / MINUTE);
          const units = batches.flat();
          starts += units.length;
          startsPerWindow.set(window, (startsPerWindow.get(window) ?? 0) + units.length);
          expect(startsPerWindow.get(window)).toBeLessThanOrEqual(10);
          for (const unit of units) expect(unit.execution.rateLimitedUntil).toBeUndefined();
          await Promise.all(
            units.map((unit) => scheduler.completeExecution(unit.lease, { result: "1" }, {}, now())),
          );
          if (round === 0) {
            // The window is full: every due execution the claims passed over wakes at its end.
            const end = new Date((window + 1) * MINUTE);
            const deferred = (await scheduler.getExecution("e699"))?.execution;
            expect(deferred).toMatchObject({ status: "pending", runAt: end, rateLimitedUntil: end });
          }
          clock.advance("15s");
        }
        expect(starts).toBe(600);
        expect([...startsPerWindow.values()]).toEqual(new Array(60).fill(10));
      },
      300_000,
    );

    test(
      "resumedDoNotCount",
      "counts only the first claim of a run; a resumed execution claims past a full window",
      async () => {
        const { clock, scheduler, now } = await verbEnv(h);
        clock.advance(MINUTE - (now().getTime() % MINUTE));
        const end = new Date(now().getTime() + MINUTE);
        const claim = () =>
          scheduler.claim({
            workerId: "w",
            taskNames: ["task"],
            limit: 10,
            leaseMs: LEASE_MS,
            now: now(),
            rateLimits: { task: { limit: 1, periodMs: MINUTE } },
          });
        const create = (executionId: string) =>
          scheduler.createExecution(
            { executionId, taskName: "task", payload: "null", runAt: now(), rateKey: "task:task\nt1" },
            now(),
          );
        await create("a");
        const [first] = await claim();
        expect(first?.lease.executionId).toBe("a");
        await scheduler.suspend(
          first!.lease,
          { wakeAt: new Date(now().getTime() + 1_000), reason: "sleep" },
          {},
          now(),
        );
        await create("b");
        clock.advance("1s");
        const resumed = await claim();
        expect(resumed.map((unit) => unit.lease.executionId)).toEqual(["a"]);
        await scheduler.completeExecution(resumed[0]!.lease, { result: "1" }, {}, now());
        expect((await scheduler.getExecution("b"))?.execution).toMatchObject({
          status: "pending",
          runAt: end,
          rateLimitedUntil: end,
        });
        const status = await new DurableScheduler(scheduler).status("b");
        expect(status.rateLimitedUntil).toEqual(end);
        expect(status.pendingReason).toMatchObject({
          kind: "rate-limit",
          until: end,
          rateKey: "task:task\nt1",
        });
        expect(status.wakeAt).toEqual(end);
        clock.advance(end.getTime() - now().getTime());
        const [next] = await claim();
        expect(next?.lease.executionId).toBe("b");
        expect(next?.execution.rateLimitedUntil).toBeUndefined();
        expect((await new DurableScheduler(scheduler).status("b")).rateLimitedUntil).toBeUndefined();
      },
    );

    test(
      "persistsRateKey",
      "persists the rate key at start, shares a queue's limit, and rejects bad keys",
      async () => {
        const api = defineQueue({
          name: "api",
          rateLimit: { limit: 1, period: "1m", key: (data: { tenant: string }) => data.tenant },
        });
        const a = defineTask({ name: "a", queue: api, run: async () => "a" });
        const b = defineTask({ name: "b", queue: api, run: async () => "b" });
        const c = defineTask({
          name: "c",
          rateLimit: { limit: 2, period: 1_000, key: (data: { tenant: unknown }) => data.tenant as string },
          run: async () => "c",
        });
        const env = await h.env(a, b, c);
        await env.durable.start("a1", "a", { tenant: "t1" });
        await env.durable.startFor(b, "b1", { tenant: "t1" });
        await env.durable.startMany([{ executionId: "b2", taskName: "b", data: { tenant: "t2" } }]);
        expect((await env.scheduler.getExecution("a1"))?.execution.rateKey).toBe("queue:api\nt1");
        expect((await env.scheduler.getExecution("b2"))?.execution.rateKey).toBe("queue:api\nt2");
        const work = await env.scheduler.claim({
          workerId: "w",
          taskNames: ["a", "b"],
          limit: 10,
          leaseMs: LEASE_MS,
          now: env.clock.now(),
          rateLimits: env.registry.rateLimits(),
        });
        expect(work.map((unit) => unit.lease.executionId).sort()).toEqual(["a1", "b2"]);
        expect((await env.durable.status("b1")).rateLimitedUntil).toBeInstanceOf(Date);

        for (const tenant of [undefined, "", 7]) {
          await expect(env.durable.start("c1", "c", { tenant })).rejects.toBeInstanceOf(ValidationError);
        }
        const throwing = defineTask({
          name: "d",
          rateLimit: {
            limit: 2,
            period: "1s",
            key: () => {
              throw new Error("no tenant");
            },
          },
          run: async () => "d",
        });
        await expect(
          new DurableScheduler(env.scheduler).startFor(throwing, "c1", null),
        ).rejects.toBeInstanceOf(ValidationError);
        expect(await env.scheduler.getExecution("c1")).toBeUndefined();
        await env.durable.start("c1", "c", { tenant: "t1" });
        expect((await env.scheduler.getExecution("c1"))?.execution.rateKey).toBe("task:c\nt1");
      },
    );

    test("rejectsBadRateLimit", "rejects a bad limit or period at definition", () => {
      const run = async () => null;
      const bad: unknown[] = [
        { limit: 0, period: "1m" },
        { limit: 1.5, period: "1m" },
        { limit: 1, period: "soon" },
        { limit: 1, period: 0 },
        { limit: 1, period: -5 },
        { limit: 1 },
        { limit: 1, period: "1m", key: "tenant" },
        null,
      ];
      for (const rateLimit of bad) {
        expect(() => defineTask({ name: "t", rateLimit: rateLimit as never, run })).toThrow(ValidationError);
        expect(() => defineQueue({ name: "q", rateLimit: rateLimit as never })).toThrow(ValidationError);
      }
      const queue = defineQueue({ name: "q", rateLimit: { limit: 1, period: "1m" } });
      expect(() => defineTask({ name: "t", queue, rateLimit: { limit: 1, period: "1m" }, run })).toThrow(
        ValidationError,
      );
      expect(() => defineQueue({ name: "q" })).toThrow(ValidationError);
    });
  });
}
