import { DurableScheduler, defineQueue, defineTask, type Scheduler } from "@zart/core";
import {
  type PendingCounts,
  type PendingCountsQuery,
  pendingCountsOf,
  type QueueCount,
} from "@zart/core/store";
import { describe, expect } from "vitest";
import type { SuiteTest } from "../../define-suite.js";
import type { Harness } from "../../harness.js";
import { LEASE_MS, verbEnv } from "../verbs/support.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const QUEUE_VISIBILITY_TESTS = [
  "countsWhileClaimersRace",
  "countsEachState",
  "pendingCountsMatchQueueStats",
  "listsByQueue",
  "explainsPending",
] as const;

/** A group's row by its key (or task, for executions without one), counts only. */
function byGroup(counts: QueueCount[]): Record<string, [number, number, number]> {
  return Object.fromEntries(
    counts.map((c) => [c.concurrencyKey ?? `task ${c.taskName}`, [c.running, c.due, c.delayed]]),
  );
}

/** `pendingCounts` (optional: derived from `queueStats` for a store without it, as `status()` does). */
function pendingCounts(scheduler: Scheduler, query: PendingCountsQuery, now: Date): Promise<PendingCounts> {
  if (scheduler.pendingCounts) return scheduler.pendingCounts(query, now);
  return scheduler.queueStats(now).then((counts) => pendingCountsOf(counts, query));
}

/** The store without its optional `pendingCounts`: what `status()` reads then is `queueStats`. */
function withoutPendingCounts(scheduler: Scheduler): Scheduler {
  return new Proxy(scheduler, {
    get(object, key) {
      if (key === "pendingCounts") return undefined;
      const value: unknown = Reflect.get(object, key, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

/** Issue #14 item 6: why pending work waits, `listExecutions({ queue })` and `queueStats`. */
export function queueVisibilitySuite(
  h: Harness,
  test: SuiteTest<(typeof QUEUE_VISIBILITY_TESTS)[number]>,
): void {
  describe("queue visibility", () => {
    test(
      "countsWhileClaimersRace",
      "counts running and due per key consistently while 8 limited claimers race",
      async () => {
        const { env, scheduler, now } = await verbEnv(h);
        const KEYS = 5;
        const PER_KEY = 20;
        for (let k = 0; k < KEYS; k++) {
          await scheduler.createExecutions(
            Array.from({ length: PER_KEY }, (_, i) => ({
              executionId: `q${k}-${i}`,
              taskName: "task",
              payload: "null",
              runAt: now(),
              concurrencyKey: `queue:jobs\nk${k}`,
            })),
            now(),
          );
        }
        const claimers: Scheduler[] = [scheduler];
        for (let i = 1; i < 8; i++) claimers.push(await env.newScheduler());
        const claimed = new Map<string, number>();
        // Each round: 8 racing claims (limit 3 per key) beside a stats read; every read is one
        // consistent snapshot, so running + due stays the group's size and running its limit at most.
        for (let round = 0; round < 3; round++) {
          const [stats, counts, ...batches] = await Promise.all([
            scheduler.queueStats(now()),
            pendingCounts(scheduler, { concurrencyKey: "queue:jobs\nk0" }, now()),
            ...claimers.map((claimer, i) =>
              claimer.claim({
                workerId: `w${i}`,
                taskNames: ["task"],
                limit: 2,
                leaseMs: LEASE_MS,
                now: now(),
                concurrencyLimits: { task: 3 },
              }),
            ),
          ]);
          for (const count of stats) {
            expect(count.running + count.due).toBe(PER_KEY);
            expect(count.running).toBeLessThanOrEqual(3);
          }
          expect(counts.running).toBeLessThanOrEqual(3);
          for (const unit of batches.flat()) {
            const key = unit.execution.concurrencyKey as string;
            claimed.set(key, (claimed.get(key) ?? 0) + 1);
          }
        }
        const after = byGroup(await scheduler.queueStats(now()));
        for (let k = 0; k < KEYS; k++) {
          const key = `queue:jobs\nk${k}`;
          expect(claimed.get(key)).toBe(3);
          expect(after[key]).toEqual([3, PER_KEY - 3, 0]);
          expect(await pendingCounts(scheduler, { concurrencyKey: key }, now())).toEqual({
            running: 3,
            topDuePriority: 0,
          });
        }
      },
    );

    test(
      "countsEachState",
      "counts unexpired leases, due and delayed work per key and per unlimited task",
      async () => {
        const { clock, scheduler, now } = await verbEnv(h);
        const create = (executionId: string, taskName: string, concurrencyKey?: string, runAt = now()) =>
          scheduler.createExecution(
            { executionId, taskName, payload: "null", runAt, ...(concurrencyKey ? { concurrencyKey } : {}) },
            now(),
          );
        const later = new Date(now().getTime() + 60_000);
        await create("a1", "a", "queue:q\nt1");
        await create("a2", "a", "queue:q\nt1");
        await create("a3", "a", "queue:q\nt1", later);
        await create("b1", "b", "task:b");
        await create("p1", "plain");
        await create("p2", "plain", undefined, later);
        await scheduler.createExecution(
          { executionId: "p3", taskName: "plain", payload: "null", runAt: now(), priority: 7 },
          now(),
        );
        const [a1] = await scheduler.claim({
          workerId: "w",
          taskNames: ["a"],
          limit: 1,
          leaseMs: LEASE_MS,
          now: now(),
        });
        expect(a1?.lease.executionId).toBe("a1");
        // A sleeping one (waiting, not due) is not counted.
        const [b1] = await scheduler.claim({
          workerId: "w",
          taskNames: ["b"],
          limit: 1,
          leaseMs: LEASE_MS,
          now: now(),
        });
        await scheduler.suspend(b1!.lease, { wakeAt: later, reason: "sleep" }, {}, now());

        const stats = await scheduler.queueStats(now());
        expect(byGroup(stats)).toEqual({
          "queue:q\nt1": [1, 1, 1],
          "task plain": [0, 2, 1],
        });
        expect(stats.find((c) => c.taskName === "plain")?.topDuePriority).toBe(7);
        expect(stats.find((c) => c.concurrencyKey === "queue:q\nt1")?.topDuePriority).toBe(0);

        clock.advance(LEASE_MS); // a1's lease expires: it is due again, not running
        const expired = byGroup(await scheduler.queueStats(now()));
        expect(expired["queue:q\nt1"]).toEqual([0, 2, 1]);
        clock.advance(60_000); // everything is due now, b1's sleep included
        expect(byGroup(await scheduler.queueStats(now()))).toEqual({
          "queue:q\nt1": [0, 3, 0],
          "task:b": [0, 1, 0],
          "task plain": [0, 3, 0],
        });
      },
    );

    test(
      "pendingCountsMatchQueueStats",
      "counts one group's leases and the top due priority as queueStats does, leases and sleeps included",
      async () => {
        const { clock, scheduler, now } = await verbEnv(h);
        const later = new Date(now().getTime() + 60_000);
        const create = (executionId: string, concurrencyKey?: string, priority?: number, runAt = now()) =>
          scheduler.createExecution(
            {
              executionId,
              taskName: "task",
              payload: "null",
              runAt,
              ...(concurrencyKey ? { concurrencyKey } : {}),
              ...(priority === undefined ? {} : { priority }),
            },
            now(),
          );
        const claimOne = (taskNames = ["task"]) =>
          scheduler.claim({ workerId: "w", taskNames, limit: 1, leaseMs: LEASE_MS, now: now() });
        const keys = ["queue:q\nt1", "queue:q\nt2", "task:other", undefined];
        const expectSame = async () => {
          const stats = await scheduler.queueStats(now());
          for (const concurrencyKey of keys) {
            const query = concurrencyKey === undefined ? {} : { concurrencyKey };
            expect(await pendingCounts(scheduler, query, now())).toEqual(pendingCountsOf(stats, query));
          }
        };
        expect(await pendingCounts(scheduler, { concurrencyKey: "queue:q\nt1" }, now())).toEqual({
          running: 0,
          topDuePriority: 0,
        });
        await create("hi", "queue:q\nt1", 9); // claimed first: running, so its priority is not due work
        await create("a1", "queue:q\nt1", 3);
        await create("a2", "queue:q\nt1");
        await create("late", undefined, 8, later); // delayed: not due
        await create("b1", "queue:q\nt2", 2);
        expect((await claimOne())[0]?.lease.executionId).toBe("hi");
        expect((await claimOne())[0]?.lease.executionId).toBe("a1");
        expect(await pendingCounts(scheduler, { concurrencyKey: "queue:q\nt1" }, now())).toEqual({
          running: 2,
          topDuePriority: 2,
        });
        await expectSame();

        // A sleeping execution is neither running nor due; its priority counts once it is due.
        const [b1] = await claimOne();
        expect(b1?.lease.executionId).toBe("b1");
        await scheduler.suspend(b1!.lease, { wakeAt: later, reason: "sleep" }, {}, now());
        expect((await pendingCounts(scheduler, {}, now())).topDuePriority).toBe(0);
        await expectSame();

        clock.advance(LEASE_MS); // the leases of "hi" and "a1" expire: they are due, not running
        expect(await pendingCounts(scheduler, { concurrencyKey: "queue:q\nt1" }, now())).toEqual({
          running: 0,
          topDuePriority: 9,
        });
        await expectSame();
        clock.advance(60_000); // everything is due
        expect((await pendingCounts(scheduler, {}, now())).topDuePriority).toBe(9);
        await expectSame();
      },
    );

    test("listsByQueue", "lists a queue's executions, keyed or not, and no other queue's", async () => {
      const { scheduler, now } = await verbEnv(h);
      const keys: [string, string | undefined][] = [
        ["k1", "queue:exports\nt1"],
        ["k2", "queue:exports\nt2"],
        ["k3", "queue:exports"],
        ["x1", "queue:exports2"],
        ["x2", "queue:export"],
        ["x3", "task:exports"],
        ["x4", undefined],
      ];
      for (const [executionId, concurrencyKey] of keys) {
        await scheduler.createExecution(
          {
            executionId,
            taskName: "task",
            payload: "null",
            runAt: now(),
            ...(concurrencyKey ? { concurrencyKey } : {}),
          },
          now(),
        );
      }
      const ids = async (filter: object) =>
        (await scheduler.listExecutions({ limit: 100, offset: 0, ...filter }))
          .map((d) => d.execution.executionId)
          .sort();
      expect(await ids({ queue: "exports" })).toEqual(["k1", "k2", "k3"]);
      expect(await ids({ queue: "export" })).toEqual(["x2"]);
      expect(await ids({ queue: "nope" })).toEqual([]);
      await scheduler.claim({ workerId: "w", taskNames: ["task"], limit: 1, leaseMs: LEASE_MS, now: now() });
      const running = await ids({ queue: "exports", status: "running" });
      const pending = await ids({ queue: "exports", status: "pending", taskName: "task" });
      expect([...running, ...pending].sort()).toEqual(["k1", "k2", "k3"]);
      expect(running.length).toBeLessThanOrEqual(1);
      const page = await scheduler.listExecutions({ queue: "exports", limit: 2, offset: 1 });
      expect(page).toHaveLength(2);
    });

    test("explainsPending", "says why pending work does not run", async () => {
      const tenants = defineQueue({
        name: "tenants",
        concurrency: { limit: 1, key: (data: { tenant: string }) => data.tenant },
      });
      const job = defineTask({ name: "job", queue: tenants, run: async () => "ok" });
      const other = defineTask({ name: "other", run: async () => "ok" });
      const env = await h.env(job, other);
      const { durable, scheduler, clock } = env;
      const now = () => clock.now();
      // The store's `pendingCounts` and, without it, `queueStats` give the same explanation.
      const fallback = new DurableScheduler(withoutPendingCounts(scheduler), { registry: env.registry });
      const reason = async (id: string) => {
        const [status, derived] = await Promise.all([durable.status(id), fallback.status(id)]);
        expect(status.pendingReason).toEqual(derived.pendingReason);
        return status.pendingReason;
      };

      await durable.start("j1", "job", { tenant: "t7" });
      expect((await reason("j1"))?.kind).toBe("no-worker");
      const worker = { host: "h", pid: 1, concurrency: 4, leaseMs: LEASE_MS, startedAt: now() };
      await scheduler.heartbeatWorker({ ...worker, workerId: "w1", taskNames: ["job", "other"] }, now());
      expect((await reason("j1"))?.kind).toBe("ready");

      await durable.start("j2", "job", { tenant: "t7" });
      await scheduler.claim({
        workerId: "w1",
        taskNames: ["job"],
        limit: 1,
        leaseMs: LEASE_MS,
        now: now(),
        concurrencyLimits: { job: 1 },
      });
      const limited = await reason("j2");
      expect(limited).toMatchObject({
        kind: "concurrency-limit",
        concurrencyKey: "queue:tenants\nt7",
        key: "t7",
        running: 1,
        limit: 1,
        message: "concurrency limit t7: 1/1",
      });
      expect(await reason("j1")).toBeUndefined(); // running, lease held

      await durable.start("o1", "other", null, { delay: "1m" });
      expect(await reason("o1")).toMatchObject({ kind: "not-due", cause: "delayed-start" });
      await durable.start("o2", "other", null);
      await durable.start("o3", "other", null, { priority: 5 });
      expect(await reason("o2")).toMatchObject({ kind: "priority", priority: 0, topDuePriority: 5 });
      await durable.pause("o2");
      expect((await reason("o2"))?.kind).toBe("paused");

      clock.advance(LEASE_MS + 1); // j1's lease expired, and w1's heartbeat is older than its lease
      expect(await reason("j1")).toMatchObject({ kind: "lease-expired", workerId: "w1" });
      expect((await reason("o3"))?.kind).toBe("no-worker");
    });
  });
}
