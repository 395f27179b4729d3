import { DurableScheduler, defineQueue, defineTask, type Scheduler, ValidationError } from "@zart/core";
import type { ClaimedWork } from "@zart/core/store";
import { describe, expect } from "vitest";
import type { SuiteTest } from "../../define-suite.js";
import type { Harness } from "../../harness.js";
import { LEASE_MS, verbEnv } from "../verbs/support.js";

/** A small deterministic PRNG (mulberry32), so a failing run can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const CONCURRENCY_LIMITS_TESTS = [
  "neverLeasesOverLimit",
  "freesSlotOnWaitOrCrash",
  "persistsConcurrencyKey",
  "rejectsBadLimit",
  "runsLimitedTaskEndToEnd",
  "mixesLimitedAndFreeWork",
] as const;

/** Issue #14: `concurrency: { limit, key? }` and `defineQueue` bound the running leases fleet-wide. */
export function concurrencyLimitsSuite(
  h: Harness,
  test: SuiteTest<(typeof CONCURRENCY_LIMITS_TESTS)[number]>,
): void {
  describe("concurrency limits", () => {
    test(
      "neverLeasesOverLimit",
      "never leases more than the limit per key to 8 racing claimers over 2,000 executions",
      async () => {
        const { env, clock, scheduler, now } = await verbEnv(h);
        const LIMIT = 4;
        const KEYS = 10;
        const TOTAL = 2_000;
        const rand = random(14);
        for (let first = 0; first < TOTAL; first += 100) {
          const ids = Array.from({ length: 100 }, (_, i) => first + i);
          await Promise.all(
            ids.map((i) =>
              scheduler.createExecution(
                {
                  executionId: `e${i}`,
                  taskName: "task",
                  payload: "null",
                  runAt: now(),
                  concurrencyKey: `task\nk${i % KEYS}`,
                },
                now(),
              ),
            ),
          );
        }
        const claimers: Scheduler[] = [scheduler];
        for (let i = 1; i < 8; i++) claimers.push(await env.newScheduler());
        // What the test itself sees as leased: execution → its key and until when it holds the lease.
        const leased = new Map<string, { key: string; until: number; unit: ClaimedWork }>();
        const maxSeen = new Map<string, number>();
        const done = new Set<string>();
        const heldBy = (key: string) => {
          let n = 0;
          for (const held of leased.values()) if (held.key === key && held.until > now().getTime()) n++;
          return n;
        };
        const finishAt = new Map<string, number>();
        for (let round = 0; done.size < TOTAL; round++) {
          expect(round).toBeLessThan(5_000);
          const batches = await Promise.all(
            claimers.map((claimer, i) =>
              claimer.claim({
                workerId: `w${i}`,
                taskNames: ["task"],
                limit: 1 + Math.floor(rand() * 10),
                leaseMs: LEASE_MS,
                now: now(),
                concurrencyLimits: { task: LIMIT },
              }),
            ),
          );
          for (const unit of batches.flat()) {
            const id = unit.lease.executionId;
            const key = unit.execution.concurrencyKey as string;
            leased.set(id, { key, until: now().getTime() + LEASE_MS, unit });
            const held = heldBy(key);
            maxSeen.set(key, Math.max(maxSeen.get(key) ?? 0, held));
            expect(held, `leases of ${JSON.stringify(key)}`).toBeLessThanOrEqual(LIMIT);
            // 1 in 20 "crashes" (never settles: its slot comes back when the lease expires), 1 in 10
            // sleeps (waiting frees the slot), the rest run 0–4 s.
            const roll = rand();
            finishAt.set(
              id,
              roll < 0.05 ? Number.POSITIVE_INFINITY : now().getTime() + Math.floor(rand() * 5) * 1_000,
            );
            if (roll >= 0.05 && roll < 0.15) finishAt.set(id, -1);
          }
          clock.advance("1s");
          const settle: Promise<unknown>[] = [];
          for (const [id, held] of leased) {
            const at = finishAt.get(id) as number;
            if (held.until <= now().getTime()) {
              leased.delete(id); // expired: a crashed worker's slot is free again
            } else if (at === -1) {
              leased.delete(id);
              finishAt.set(id, 0);
              const wakeAt = new Date(now().getTime() + 2_000);
              settle.push(scheduler.suspend(held.unit.lease, { wakeAt, reason: "sleep" }, {}, now()));
            } else if (at <= now().getTime()) {
              leased.delete(id);
              done.add(id);
              settle.push(scheduler.completeExecution(held.unit.lease, { result: "1" }, {}, now()));
            }
          }
          await Promise.all(settle);
        }
        expect([...maxSeen.values()]).toEqual(new Array(KEYS).fill(LIMIT));
      },
      300_000,
    );

    test(
      "freesSlotOnWaitOrCrash",
      "frees a slot when its execution waits, and a crashed worker's slots when its leases expire",
      async () => {
        const { clock, scheduler, now } = await verbEnv(h);
        const claim = (workerId: string, limits: Record<string, number> | null = { task: 2 }) =>
          scheduler.claim({
            workerId,
            taskNames: ["task"],
            limit: 10,
            leaseMs: LEASE_MS,
            now: now(),
            ...(limits ? { concurrencyLimits: limits } : {}),
          });
        for (let i = 0; i < 5; i++) {
          await scheduler.createExecution(
            {
              executionId: `e${i}`,
              taskName: "task",
              payload: "null",
              runAt: now(),
              concurrencyKey: "task\nt7",
            },
            now(),
          );
        }
        await scheduler.createExecution(
          {
            executionId: "other",
            taskName: "task",
            payload: "null",
            runAt: now(),
            concurrencyKey: "task\nt8",
          },
          now(),
        );
        const crashed = await claim("crashed");
        expect(crashed.map((unit) => unit.lease.executionId).sort()).toEqual(["e0", "e1", "other"]);
        expect(await claim("w2")).toEqual([]);

        const first = crashed.find((unit) => unit.lease.executionId === "e0") as ClaimedWork;
        await scheduler.suspend(
          first.lease,
          { wakeAt: new Date(now().getTime() + 60_000), reason: "sleep" },
          {},
          now(),
        );
        expect((await claim("w2")).map((unit) => unit.lease.executionId)).toEqual(["e2"]);
        expect(await claim("w2")).toEqual([]);

        clock.advance(LEASE_MS); // e1 (crashed) and e2 expire: two slots again, for the oldest due
        expect((await claim("w3")).map((unit) => unit.lease.executionId).sort()).toEqual([
          "e3",
          "e4",
          "other",
        ]);
        expect(await claim("w3")).toEqual([]);
        // A higher limit takes effect at the next claim; no limit sent claims the rest.
        expect((await claim("w4", { task: 3 })).map((unit) => unit.lease.executionId)).toEqual(["e1"]);
        expect((await claim("w4", null)).map((unit) => unit.lease.executionId)).toEqual(["e2"]);
      },
    );

    test(
      "persistsConcurrencyKey",
      "persists the key at start, shares a queue's limit between its tasks, and rejects bad keys",
      async () => {
        const exports = defineQueue({
          name: "exports",
          concurrency: { limit: 1, key: (data: { tenant: string }) => data.tenant },
        });
        const a = defineTask({ name: "a", queue: exports, run: async () => "a" });
        const b = defineTask({ name: "b", queue: exports, run: async () => "b" });
        const c = defineTask({
          name: "c",
          concurrency: { limit: 1, key: (data: { tenant: unknown }) => data.tenant as string },
          run: async () => "c",
        });
        const env = await h.env(a, b, c);
        await env.durable.start("a1", "a", { tenant: "t1" });
        await env.durable.startFor(b, "b1", { tenant: "t1" });
        await env.durable.start("b2", "b", { tenant: "t2" });
        expect((await env.scheduler.getExecution("a1"))?.execution.concurrencyKey).toBe("queue:exports\nt1");
        const work = await env.scheduler.claim({
          workerId: "w",
          taskNames: ["a", "b"],
          limit: 10,
          leaseMs: LEASE_MS,
          now: env.clock.now(),
          concurrencyLimits: env.registry.concurrencyLimits(),
        });
        expect(work.map((unit) => unit.lease.executionId).sort()).toEqual(["a1", "b2"]);

        for (const tenant of [undefined, "", 7, () => "x"]) {
          await expect(env.durable.start("c1", "c", { tenant })).rejects.toBeInstanceOf(ValidationError);
        }
        const throwing = defineTask({
          name: "d",
          concurrency: {
            limit: 2,
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
        expect((await env.scheduler.getExecution("c1"))?.execution.concurrencyKey).toBe("task:c\nt1");
      },
    );

    test(
      "rejectsBadLimit",
      "rejects a bad limit, a foreign queue, or concurrency and queue together at definition",
      () => {
        const run = async () => null;
        for (const limit of [0, -1, 1.5, Number.NaN, "2" as unknown as number]) {
          expect(() => defineTask({ name: "t", concurrency: { limit }, run })).toThrow(ValidationError);
          expect(() => defineQueue({ name: "q", concurrency: { limit } })).toThrow(ValidationError);
        }
        const queue = defineQueue({ name: "q", concurrency: { limit: 1 } });
        expect(() =>
          defineTask({ name: "t", queue: { name: "q", concurrency: { limit: 1 } } as typeof queue, run }),
        ).toThrow(ValidationError);
        expect(() => defineTask({ name: "t", queue, concurrency: { limit: 1 }, run })).toThrow(
          ValidationError,
        );
      },
    );

    test("runsLimitedTaskEndToEnd", "runs a limited task end to end through workers", async () => {
      let running = 0;
      let most = 0;
      const task = defineTask({
        name: "limited",
        concurrency: { limit: 2 },
        run: async (ctx) => {
          running++;
          most = Math.max(most, running);
          await ctx.step("s", async () => {
            await new Promise((resolve) => setTimeout(resolve, 5));
          });
          running--;
          return "ok";
        },
      });
      const env = await h.env(task);
      for (let i = 0; i < 8; i++) await env.durable.start(`l${i}`, "limited", null);
      await Promise.all([env.run(), env.newWorker().runUntilIdle()]);
      for (let i = 0; i < 8; i++) expect((await env.durable.status(`l${i}`)).status).toBe("completed");
      expect(most).toBeLessThanOrEqual(2);
    });
    test(
      "mixesLimitedAndFreeWork",
      "claims limited and unlimited executions together in priority, then due order",
      async () => {
        const { scheduler, now } = await verbEnv(h);
        const create = (executionId: string, taskName: string, agoMs: number, extra = {}) =>
          scheduler.createExecution(
            {
              executionId,
              taskName,
              payload: "null",
              runAt: new Date(now().getTime() - agoMs),
              ...extra,
            },
            now(),
          );
        await create("l0", "task", 50, { concurrencyKey: "task\nk" });
        await create("f0", "free", 40);
        await create("l1", "task", 30, { concurrencyKey: "task\nk" });
        await create("n0", "task", 20); // a limited task's execution without a key: not limited
        await create("f1", "free", 10);
        await create("p0", "free", 5, { priority: 5 });
        const claim = (workerId: string, limit: number) =>
          scheduler
            .claim({
              workerId,
              taskNames: ["task", "free"],
              limit,
              leaseMs: LEASE_MS,
              now: now(),
              concurrencyLimits: { task: 1 },
            })
            .then((work) => work.map((unit) => unit.lease.executionId));
        expect(await claim("w1", 3)).toEqual(["p0", "l0", "f0"]);
        expect(await claim("w2", 10)).toEqual(["n0", "f1"]); // l1 waits for l0's slot
        expect(await claim("w3", 10)).toEqual([]);
      },
    );
  });
}
