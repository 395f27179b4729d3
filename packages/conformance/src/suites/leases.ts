import { defineTask, LeaseLostError, type ZartError } from "@zart/core";
import type { ChildLease, ClaimedWork, Lease, SerializedError, StepWrite } from "@zart/core/store";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { finishes, gate, type TestEnv, until } from "../harness.js";

const LEASE_MS = 30_000;
const TIMEOUT_ERROR: SerializedError = {
  name: "EventTimeoutError",
  message: "timeout",
  code: "EVENT_TIMEOUT",
};

/** Store-level helpers over the raw `Scheduler` verbs. */
function storeOps(env: TestEnv) {
  const { scheduler, clock } = env;
  const taskNames = ["raw", ...env.registry.names()];
  return {
    create: (executionId: string) =>
      scheduler.createExecution(
        { executionId, taskName: "raw", payload: "null", runAt: clock.now() },
        clock.now(),
      ),
    claim: (workerId: string, limit = 10): Promise<ClaimedWork[]> =>
      scheduler.claim({ workerId, taskNames, limit, leaseMs: LEASE_MS, now: clock.now() }),
    details: async (executionId: string) => {
      const details = await scheduler.getExecution(executionId);
      if (!details) throw new Error(`execution ${executionId} vanished`);
      return details;
    },
  };
}

function step(position: number, result: string): StepWrite {
  return { position, name: `s${position}`, kind: "step", status: "completed", result, attempts: 1 };
}

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const LEASES_TESTS = [
  "neverHandsOutLiveLease",
  "renewLeaseExtendsFromNow",
  "releaseLeaseGivesBack",
  "rejectsTakenOverWrites",
  "fencesConcurrentWritesEach",
  "fencesChildrenByOwnLease",
  "secondWorkerTakesOver",
  "dropsTakenOverRun",
  "renewsByHeartbeat",
] as const;

/** SPEC §4.5: leases, expiry and takeover, fencing tokens on every write. */
export const leasesSuite = defineSuite("leases", LEASES_TESTS, (h, test) => {
  describe("claims and expiry", () => {
    test(
      "neverHandsOutLiveLease",
      "never hands out a unit under a live lease; after expiry another claimer takes it with a new token",
      async () => {
        const env = await h.env();
        const { create, claim } = storeOps(env);
        await create("e1");
        const [first, ...rest] = await claim("w1");
        expect(rest).toEqual([]);
        expect(first?.kind).toBe("execution");
        expect(first?.execution).toMatchObject({ executionId: "e1", status: "running" });
        expect(await claim("w2")).toEqual([]);
        env.clock.advance(LEASE_MS - 1);
        expect(await claim("w2")).toEqual([]);

        env.clock.advance("2s");
        const [second] = await claim("w2");
        expect(second?.lease.executionId).toBe("e1");
        expect(second?.lease.token).not.toBe(first?.lease.token);
        expect(await claim("w3")).toEqual([]);
      },
    );

    test("renewLeaseExtendsFromNow", "renewLease extends the lease from now", async () => {
      const env = await h.env();
      const { create, claim } = storeOps(env);
      await create("e1");
      const [work] = await claim("w1");
      env.clock.advance("20s");
      await env.scheduler.renewLease(work!.lease, LEASE_MS, env.clock.now());
      env.clock.advance("11s");
      expect(await claim("w2")).toEqual([]);
      env.clock.advance("20s");
      expect(await claim("w2")).toHaveLength(1);
    });

    test(
      "releaseLeaseGivesBack",
      "releaseLease gives the execution back at once and fences off its old holder",
      async () => {
        const env = await h.env();
        const { create, claim, details } = storeOps(env);
        await create("e1");
        const [work] = await claim("w1");
        await env.scheduler.releaseLease(work!.lease, env.clock.now());
        expect((await details("e1")).execution.status).toBe("pending");
        const [again] = await claim("w2");
        expect(again?.lease.token).not.toBe(work?.lease.token);
        const error = await env.scheduler
          .saveStep(work!.lease, step(0, "1"), {}, env.clock.now())
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LeaseLostError);
        expect((await details("e1")).steps).toEqual([]);
      },
    );
  });

  describe("fencing", () => {
    test(
      "rejectsTakenOverWrites",
      "rejects every write of a lease that was taken over with LeaseLostError, changing nothing",
      async () => {
        const env = await h.env();
        const { create, claim, details } = storeOps(env);
        const { scheduler, clock } = env;
        await create("e1");
        await scheduler.offerEvent({ executionId: "e1", eventName: "go", payload: "1" }, clock.now());
        const [first] = await claim("w1");
        const old: Lease = first!.lease;
        await scheduler.saveStep(old, step(0, '"kept"'), {}, clock.now());
        clock.advance(LEASE_MS + 1);
        const [second] = await claim("w2");
        expect(second).toBeDefined();
        const before = await details("e1");

        const later = new Date(clock.now().getTime() + 60_000);
        const error: SerializedError = { name: "Error", message: "stale" };
        const writes: Record<string, () => Promise<unknown>> = {
          renewLease: () => scheduler.renewLease(old, LEASE_MS, clock.now()),
          saveStep: () => scheduler.saveStep(old, step(1, '"stale"'), { data: '"stale"' }, clock.now()),
          suspend: () => scheduler.suspend(old, { wakeAt: later, reason: "sleep" }, {}, clock.now()),
          awaitEvent: () =>
            scheduler.awaitEvent(
              old,
              { position: 1, stepName: "go", eventName: "go", timeoutError: TIMEOUT_ERROR },
              {},
              clock.now(),
            ),
          dispatchChildren: () =>
            scheduler.dispatchChildren(old, { children: [{ position: 1, name: "child" }] }, {}, clock.now()),
          retryExecution: () => scheduler.retryExecution(old, { error, runAt: later }, {}, clock.now()),
          completeExecution: () => scheduler.completeExecution(old, { result: '"stale"' }, {}, clock.now()),
          failExecution: () => scheduler.failExecution(old, { error }, {}, clock.now()),
          releaseLease: () => scheduler.releaseLease(old, clock.now()),
        };
        for (const [name, write] of Object.entries(writes)) {
          const rejection = await write().catch((e: unknown) => e);
          expect(rejection, name).toBeInstanceOf(LeaseLostError);
          expect((rejection as ZartError).code, name).toBe("LEASE_LOST");
        }
        const after = await details("e1");
        expect(after).toEqual(before);
        expect(after.execution.status).toBe("running");
        expect(after.steps.map((s) => s.result)).toEqual(['"kept"']);
        expect(after.events[0]?.consumedAt).toBeUndefined();

        await scheduler.saveStep(second!.lease, step(1, '"new"'), {}, clock.now());
        await scheduler.completeExecution(second!.lease, { result: '"done"' }, {}, clock.now());
        const done = await details("e1");
        expect(done.execution).toMatchObject({ status: "completed", result: '"done"' });
        expect(done.steps.map((s) => s.result)).toEqual(['"kept"', '"new"']);
      },
    );

    test(
      "fencesConcurrentWritesEach",
      "fences each of a burst of concurrent writes on its own: only the taken-over ones fail, changing nothing",
      async () => {
        const env = await h.env();
        const { create, claim, details } = storeOps(env);
        const { scheduler, clock } = env;
        const ids = Array.from({ length: 40 }, (_, i) => `b${String(i).padStart(2, "0")}`);
        for (const id of ids) await create(id);
        const units = new Map((await claim("w1", ids.length)).map((unit) => [unit.lease.executionId, unit]));
        expect(units.size).toBe(ids.length);
        // Every 4th is given back and taken by another worker: w1's token for it is stale.
        const stale = new Set(ids.filter((_, i) => i % 4 === 0));
        for (const id of stale) await scheduler.releaseLease(units.get(id)!.lease, clock.now());
        expect(await claim("w2", ids.length)).toHaveLength(stale.size);

        // In one burst (stores batch writes made together): steps with a patch, and completions.
        const outcomes = await Promise.allSettled(
          ids.map((id, i) => {
            const lease = units.get(id)!.lease;
            return i % 3 === 0
              ? scheduler.completeExecution(lease, { result: `"r${i}"` }, { data: `"d${i}"` }, clock.now())
              : scheduler.saveStep(lease, step(0, `"r${i}"`), { data: `"d${i}"` }, clock.now());
          }),
        );
        for (const [i, id] of ids.entries()) {
          const outcome = outcomes[i]!;
          const after = await details(id);
          if (stale.has(id)) {
            expect(outcome.status, id).toBe("rejected");
            expect((outcome as PromiseRejectedResult).reason, id).toBeInstanceOf(LeaseLostError);
            expect(after.execution.status, id).toBe("running");
            expect(after.execution.data, id).toBeUndefined();
            expect(after.steps, id).toEqual([]);
          } else {
            expect(outcome.status, id).toBe("fulfilled");
            expect(after.execution.data, id).toBe(`"d${i}"`);
            if (i % 3 === 0)
              expect(after.execution, id).toMatchObject({ status: "completed", result: `"r${i}"` });
            else
              expect(
                after.steps.map((s) => s.result),
                id,
              ).toEqual([`"r${i}"`]);
          }
        }
      },
    );

    test("fencesChildrenByOwnLease", "fences parallel children by their own lease", async () => {
      const env = await h.env();
      const { create, claim, details } = storeOps(env);
      const { scheduler, clock } = env;
      await create("e1");
      const [parent] = await claim("w1");
      const children = [
        { position: 0, name: "a" },
        { position: 1, name: "b" },
      ];
      expect(await scheduler.dispatchChildren(parent!.lease, { children }, {}, clock.now())).toEqual({
        suspended: true,
      });
      const firstClaims = await claim("w1");
      expect(firstClaims.map((w) => w.kind)).toEqual(["child", "child"]);
      expect(await claim("w2")).toEqual([]);

      clock.advance(LEASE_MS + 1);
      const takeovers = await claim("w2");
      expect(takeovers.map((w) => w.kind)).toEqual(["child", "child"]);
      for (const old of firstClaims) {
        const lease = old.lease as ChildLease;
        const rejection = await scheduler
          .settleChild(lease, { status: "completed", result: '"stale"', attempts: 1 }, clock.now())
          .catch((e: unknown) => e);
        expect(rejection).toBeInstanceOf(LeaseLostError);
      }
      expect((await details("e1")).steps.map((s) => s.status)).toEqual(["running", "running"]);

      for (const fresh of takeovers) {
        const lease = fresh.lease as ChildLease;
        await scheduler.settleChild(lease, { status: "completed", result: '"ok"', attempts: 1 }, clock.now());
      }
      const settled = await details("e1");
      expect(settled.steps.map((s) => [s.status, s.result])).toEqual([
        ["completed", '"ok"'],
        ["completed", '"ok"'],
      ]);
      expect(settled.execution.status).toBe("pending");
      const [woken] = await claim("w3");
      expect(woken?.kind).toBe("execution");
    });
  });

  describe("workers", () => {
    test(
      "secondWorkerTakesOver",
      "lets a second worker take over an expired lease; the first worker's late step write is rejected",
      async () => {
        let calls = 0;
        const signals: AbortSignal[] = [];
        const stuck = gate();
        const started = gate();
        const task = defineTask({
          name: "slow-step",
          async run(ctx) {
            return ctx.step("work", async () => {
              const n = ++calls;
              signals.push(ctx.signal);
              if (n === 1) {
                started.open();
                await stuck.promise;
              }
              return `run-${n}`;
            });
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "slow-step", null);
        // One slot, no prefetch: the first worker cannot claim its own expired lease back while
        // its stuck run holds the slot, so the second worker is the one taking it over.
        const first = env.newWorker({ leaseDuration: "30s", concurrency: 1, prefetch: 0 }).runUntilIdle();
        await started.promise;

        env.clock.advance("31s");
        await env.newWorker({ leaseDuration: "30s" }).runUntilIdle();
        const done = await env.durable.status("e1");
        expect(done).toMatchObject({ status: "completed", result: "run-2" });

        stuck.open();
        await finishes(first, "the first worker to drop its lost run");
        const after = await env.durable.status("e1");
        expect(after).toEqual(done);
        expect(after.steps).toHaveLength(1);
        expect(after.steps[0]).toMatchObject({ name: "work", result: "run-2", attempts: 1 });
        expect(calls).toBe(2);
        expect(signals[0]?.aborted).toBe(true);
        expect(signals[1]?.aborted).toBe(false);
      },
    );

    test(
      "dropsTakenOverRun",
      "drops a run whose lease was taken over before it returned; its completion is rejected",
      async () => {
        let runs = 0;
        const stuck = gate();
        const started = gate();
        const task = defineTask({
          name: "slow-finish",
          async run() {
            const n = ++runs;
            if (n === 1) {
              started.open();
              await stuck.promise;
            }
            return `run-${n}`;
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "slow-finish", null);
        // One slot, no prefetch: the first worker cannot claim its own expired lease back while
        // its stuck run holds the slot, so the second worker is the one taking it over.
        const first = env.newWorker({ leaseDuration: "30s", concurrency: 1, prefetch: 0 }).runUntilIdle();
        await started.promise;

        env.clock.advance("31s");
        await env.newWorker({ leaseDuration: "30s" }).runUntilIdle();
        const done = await env.durable.status("e1");
        expect(done).toMatchObject({ status: "completed", result: "run-2" });

        stuck.open();
        await finishes(first, "the first worker to drop its lost run");
        expect(await env.durable.status("e1")).toEqual(done);
        expect(runs).toBe(2);
      },
    );

    test("renewsByHeartbeat", "renews the lease by heartbeat while a step runs", async () => {
      const stuck = gate();
      const started = gate();
      const task = defineTask({
        name: "heartbeat",
        async run(ctx) {
          return ctx.step("long", async () => {
            started.open();
            await stuck.promise;
            return "done";
          });
        },
      });
      const env = await h.env(task);
      const { claim, details } = storeOps(env);
      await env.durable.start("e1", "heartbeat", null);
      const running = env.newWorker({ leaseDuration: 300 }).runUntilIdle();
      await started.promise;
      const claimedUntil = (await details("e1")).execution.leaseExpiresAt;
      env.clock.advance(200);
      await until(async () => {
        const expiresAt = (await details("e1")).execution.leaseExpiresAt;
        return expiresAt !== undefined && claimedUntil !== undefined && expiresAt > claimedUntil;
      }, "a heartbeat to renew the lease");
      env.clock.advance(200);
      expect(await claim("intruder")).toEqual([]);
      stuck.open();
      await finishes(running, "the run to complete");
      expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: "done" });
    });
  });
});
