import { hostname } from "node:os";
import type { WorkerRecord } from "@zart/core/store";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { LEASE_MS, verbEnv } from "./verbs/support.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const WORKERS_TESTS = [
  "upsertsListsAndRemoves",
  "racingHeartbeats",
  "workerRegistersItself",
  "statusShowsLease",
] as const;

function row(workerId: string, overrides: Partial<WorkerRecord> = {}): Omit<WorkerRecord, "heartbeatAt"> {
  return {
    workerId,
    host: "host-a",
    pid: 4242,
    taskNames: ["task", "other"],
    concurrency: 5,
    leaseMs: LEASE_MS,
    startedAt: new Date("2026-01-01T00:00:00.000Z"),
    ...overrides,
  };
}

/** The worker registry (`heartbeatWorker`, `listWorkers`, `removeWorker`) and what `status()` shows from it. */
export const workersSuite = defineSuite("workers", WORKERS_TESTS, (h, test) => {
  describe("worker registry", () => {
    test(
      "upsertsListsAndRemoves",
      "upserts a worker's row, lists the workers by id, removes one",
      async () => {
        const { scheduler, now, clock } = await verbEnv(h);
        expect(await scheduler.listWorkers()).toEqual([]);
        await scheduler.heartbeatWorker(row("w2"), now());
        const firstBeat = now();
        await scheduler.heartbeatWorker(row("w1"), now());
        clock.advance("5s");
        await scheduler.heartbeatWorker(row("w1", { taskNames: ["task"], concurrency: 7, pid: 7 }), now());
        expect(await scheduler.listWorkers()).toEqual([
          { ...row("w1", { taskNames: ["task"], concurrency: 7, pid: 7 }), heartbeatAt: now() },
          { ...row("w2"), heartbeatAt: firstBeat },
        ]);
        expect(await scheduler.removeWorker("w1")).toBe(true);
        expect(await scheduler.removeWorker("w1")).toBe(false);
        expect((await scheduler.listWorkers()).map((w) => w.workerId)).toEqual(["w2"]);
      },
    );

    test(
      "racingHeartbeats",
      "N racing heartbeats of one worker leave one row with the latest heartbeat; N workers, N rows",
      async () => {
        const { env, scheduler, now } = await verbEnv(h);
        const schedulers = [scheduler, ...(await Promise.all([1, 2, 3].map(() => env.newScheduler())))];
        const base = now().getTime();
        // Out of order: a delayed heartbeat must not move the stored one back.
        const offsets = [3, 7, 1, 6, 0, 5, 2, 4];
        await Promise.all(
          offsets.map((offset, i) =>
            schedulers[i % schedulers.length]!.heartbeatWorker(row("w1"), new Date(base + offset * 1000)),
          ),
        );
        expect(await scheduler.listWorkers()).toEqual([{ ...row("w1"), heartbeatAt: new Date(base + 7000) }]);
        await scheduler.heartbeatWorker(row("w1"), new Date(base + 2000));
        expect((await scheduler.listWorkers())[0]?.heartbeatAt).toEqual(new Date(base + 7000));

        const ids = offsets.map((_, i) => `w${i + 10}`);
        await Promise.all(
          ids.map((id, i) => schedulers[i % schedulers.length]!.heartbeatWorker(row(id), now())),
        );
        expect((await scheduler.listWorkers()).map((w) => w.workerId)).toEqual(["w1", ...ids].sort());
      },
    );

    test(
      "workerRegistersItself",
      "a started worker registers itself, shows as gone once its heartbeat is older than its lease, and leaves on stop",
      async () => {
        const env = await h.env();
        const worker = env.newWorker({ workerId: "wA", concurrency: 3, leaseDuration: "10s" });
        await worker.start();
        const [listed] = (await env.durable.listWorkers()).filter((w) => w.workerId === "wA");
        expect(listed).toEqual({
          workerId: "wA",
          host: hostname(),
          pid: process.pid,
          tasks: env.registry.names(),
          concurrency: 3,
          leaseMs: 10_000,
          startedAt: env.clock.now(),
          lastHeartbeatAt: env.clock.now(),
          state: "alive",
        });
        env.clock.advance("11s");
        expect((await env.durable.listWorkers()).find((w) => w.workerId === "wA")?.state).toBe("gone");
        await worker.stop();
        expect((await env.durable.listWorkers()).find((w) => w.workerId === "wA")).toBeUndefined();
      },
    );

    test(
      "statusShowsLease",
      "status() of a running execution shows the lease owner from the registry, then that the lease expired",
      async () => {
        const { env, scheduler, start, claimOne, now, clock } = await verbEnv(h);
        await scheduler.heartbeatWorker(row("w1"), now());
        await start("e1");
        const claimedAt = now();
        await claimOne("w1");
        clock.advance("1s");
        const held = await env.durable.status("e1");
        expect(held.lease).toEqual({
          workerId: "w1",
          host: "host-a",
          pid: 4242,
          workerGone: false,
          expiresAt: new Date(claimedAt.getTime() + LEASE_MS),
          expired: false,
          stepSince: claimedAt,
          runningSteps: [],
        });
        clock.advance(LEASE_MS);
        const lapsed = await env.durable.status("e1");
        expect(lapsed.lease).toMatchObject({
          workerId: "w1",
          workerGone: true,
          expired: true,
          note: "lease expired, waiting to be reclaimed",
        });
        expect((await env.durable.listExecutions())[0]?.lease).toBeUndefined();
      },
    );
  });
});
