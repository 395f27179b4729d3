import { defineTask, TaskRegistry } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";

const LEASE_MS = 30_000;

function doubling(name: string) {
  return defineTask({
    name,
    async run(ctx, n: number) {
      return ctx.step("double", () => n * 2);
    },
  });
}

const fanOut = defineTask({
  name: "fan",
  async run(ctx) {
    return ctx.waitAll([ctx.scheduleStep("c0", () => 0), ctx.scheduleStep("c1", () => 1)]);
  },
});

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const TASK_ROUTING_TESTS = [
  "disjointWorkersRunOwnTasks",
  "routesChildrenByParentTask",
  "keepsUnregisteredPending",
  "claimsPastOtherTasks",
] as const;

/**
 * Workers claim only units of the tasks they registered (`ClaimRequest.taskNames`), so
 * applications with different task sets can share one store.
 */
export const taskRoutingSuite = defineSuite("task-routing", TASK_ROUTING_TESTS, (h, test) => {
  describe("task routing", () => {
    test(
      "disjointWorkersRunOwnTasks",
      "lets two workers with disjoint registries each complete only their own executions",
      async () => {
        const env = await h.env(doubling("alpha"));
        const beta = env.newWorker({ registry: new TaskRegistry().register(doubling("beta")) });
        const client = env.newClient({});
        for (const n of [1, 2, 3]) {
          await client.start(`a${n}`, "alpha", n);
          await client.start(`b${n}`, "beta", n);
        }
        await env.run();
        for (const n of [1, 2, 3]) {
          expect(await env.durable.status(`a${n}`)).toMatchObject({ status: "completed", result: n * 2 });
          expect(await env.durable.status(`b${n}`)).toMatchObject({ status: "pending", attempt: 0 });
        }
        await beta.runUntilIdle();
        const owners = env.claims.map((unit) => [unit.execution.taskName, unit.execution.leaseOwner]);
        expect(owners).toHaveLength(6);
        for (const [taskName, owner] of owners) {
          expect(owner).toBe(taskName === "alpha" ? env.worker.workerId : beta.workerId);
        }
        const all = await env.durable.listExecutions({ limit: 10 });
        expect(all.map((s) => s.status)).toEqual(Array(6).fill("completed"));
        expect(all.every((s) => s.error === undefined)).toBe(true);
      },
    );

    test(
      "routesChildrenByParentTask",
      "never hands a parallel child to a worker without its parent's task",
      async () => {
        const env = await h.env(fanOut);
        const { scheduler, clock } = env;
        await env.durable.start("e1", "fan", null);
        const claim = (taskNames: string[], limit: number) =>
          scheduler.claim({ workerId: "fan-worker", taskNames, limit, leaseMs: LEASE_MS, now: clock.now() });
        const [parent] = await claim(["fan"], 1);
        const children = [
          { position: 0, name: "c0" },
          { position: 1, name: "c1" },
        ];
        await scheduler.dispatchChildren(parent!.lease, { children }, {}, clock.now());
        // One child pending, the other running under a lease about to expire: both due.
        expect(await claim(["fan"], 1)).toHaveLength(1);
        clock.advance(LEASE_MS + 1);

        const other = env.newWorker({ registry: new TaskRegistry().register(doubling("beta")) });
        await env.newClient({}).start("b1", "beta", 4);
        const before = env.claims.length;
        await other.runUntilIdle();
        expect(env.claims.slice(before).map((unit) => [unit.kind, unit.lease.executionId])).toEqual([
          ["execution", "b1"],
        ]);
        expect((await scheduler.getExecution("e1"))?.execution.status).toBe("waiting");

        await env.run();
        expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: [0, 1] });
      },
    );

    test(
      "keepsUnregisteredPending",
      "keeps an execution of a task nobody registered pending until a worker with it starts",
      async () => {
        const env = await h.env(doubling("alpha"));
        await env.newClient({}).start("orphan", "late", 5);
        await env.durable.start("a1", "alpha", 1);
        await env.run();
        env.clock.advance("1h");
        await env.run();
        expect(await env.durable.status("a1")).toMatchObject({ status: "completed" });
        const orphan = await env.durable.status("orphan");
        expect(orphan).toMatchObject({ status: "pending", attempt: 0 });
        expect(orphan.error).toBeUndefined();
        const pending = await env.durable.listExecutions({ status: "pending", limit: 10 });
        expect(pending.map((s) => s.executionId)).toEqual(["orphan"]);
        expect(env.claimCount("orphan")).toBe(0);

        await env.newWorker({ registry: new TaskRegistry().register(doubling("late")) }).runUntilIdle();
        expect(await env.durable.status("orphan")).toMatchObject({ status: "completed", result: 10 });
      },
    );

    test(
      "claimsPastOtherTasks",
      "claims the listed tasks' units behind a long run of other tasks' due units",
      async () => {
        const env = await h.env();
        const { scheduler, clock } = env;
        const create = (executionId: string, taskName: string, runAt: Date) =>
          scheduler.createExecution({ executionId, taskName, payload: "null", runAt }, clock.now());
        const t0 = clock.now().getTime();
        // More than any store's scan budget for filling a claim after its first unit.
        for (let i = 0; i < 1_200; i++) await create(`x${i}`, "other", new Date(t0 - 10_000 + i));
        await create("mine", "mine", clock.now());
        const claim = (taskNames: string[]) =>
          scheduler.claim({ workerId: "w", taskNames, limit: 5, leaseMs: LEASE_MS, now: clock.now() });
        expect(await claim([])).toEqual([]);
        expect((await claim(["mine", "absent"])).map((unit) => unit.lease.executionId)).toEqual(["mine"]);
        const skipped = await scheduler.getExecution("x0");
        expect(skipped?.execution).toMatchObject({ status: "pending" });
        expect(skipped?.execution.leaseOwner).toBeUndefined();
        expect((await claim(["other"])).map((unit) => unit.lease.executionId)).toEqual([
          "x0",
          "x1",
          "x2",
          "x3",
          "x4",
        ]);
      },
    );
  });
});
