import {
  defineQueue,
  defineTask,
  ExecutionAlreadyExistsError,
  ExecutionNotFoundError,
  NonRetryableError,
  StepNotFoundError,
} from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { BOOM, flush, ifPush, recordWakeUps, verbEnv } from "./verbs/support.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const OPERATOR_RERUN_TESTS = [
  "rerunsFromStep",
  "copiesSettledSteps",
  "refusesBadFork",
  "oneOfRacingForksWins",
  "copiesFlowKeys",
] as const;

/** The operator's `rerun`: a new execution whose history is the original's settled prefix before a step. */
export const operatorRerunSuite = defineSuite("operator-rerun", OPERATOR_RERUN_TESTS, (h, test) => {
  describe("operator rerun", () => {
    test(
      "rerunsFromStep",
      "runs a new execution from a step with new input, replaying the steps before it",
      async () => {
        const runs = { fetch: 0, charge: 0, ship: 0 };
        let broken = true;
        const task = defineTask({
          name: "rerun-me",
          maxRetries: 0,
          async run(ctx, input: { amount: number }) {
            const item = await ctx.step("fetch", async () => `item-${++runs.fetch}`);
            const charged = await ctx.step("charge", async () => {
              runs.charge++;
              return input.amount;
            });
            await ctx.step("ship", async () => {
              runs.ship++;
              if (broken) throw new NonRetryableError("truck broke down");
            });
            return { item, charged };
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "rerun-me", { amount: 5 });
        await env.run();
        const original = await env.durable.status("e1");
        expect(original.status).toBe("failed");

        broken = false;
        const created = await env.durable.rerun("e1", {
          fromStep: "charge",
          newId: "e2",
          data: { amount: 7 },
        });
        expect(created).toEqual({
          executionId: "e2",
          taskName: "rerun-me",
          rerunOf: "e1",
          fromStep: "charge",
        });
        const pending = await env.durable.status("e2");
        expect(pending).toMatchObject({
          status: "pending",
          payload: { amount: 7 },
          rerunOf: { executionId: "e1", fromStep: "charge" },
        });
        expect(pending.steps.map((s) => s.name)).toEqual(["fetch"]);
        await env.run();
        expect(await env.durable.status("e2")).toMatchObject({
          status: "completed",
          result: { item: "item-1", charged: 7 },
        });
        expect(runs).toEqual({ fetch: 1, charge: 2, ship: 2 });
        expect(await env.durable.status("e1")).toEqual(original);
      },
    );

    test(
      "copiesSettledSteps",
      "copies exactly the settled steps before fromStep and leaves the original untouched (store verb)",
      async () => {
        const { scheduler, claimOne, step, now, details, clock } = await verbEnv(h);
        const wakes = recordWakeUps(scheduler);
        await scheduler.createExecution(
          { executionId: "e1", taskName: "task", payload: '{"n":1}', runAt: now(), priority: 3 },
          now(),
        );
        const { lease } = await claimOne();
        await scheduler.saveStep(lease, step(0), { data: '{"d":1}' }, now());
        await scheduler.saveStep(lease, { ...step(1, "failed"), error: BOOM, attempts: 2 }, {}, now());
        await scheduler.saveStep(lease, { ...step(2), startedAt: now(), completedAt: now() }, {}, now());
        await scheduler.saveStep(lease, step(3), {}, now());
        await scheduler.saveStep(lease, step(4), {}, now());
        await scheduler.offerEvent({ executionId: "e1", eventName: "ping", payload: "1" }, now());
        clock.advance("1m");
        const before = await details("e1");
        await flush();
        wakes.length = 0;

        const record = await scheduler.forkExecution(
          { sourceId: "e1", executionId: "e2", fromStep: "s3" },
          now(),
        );
        const forked = await details("e2");
        expect(forked.execution).toEqual(record);
        expect(record).toMatchObject({
          executionId: "e2",
          taskName: "task",
          payload: '{"n":1}',
          status: "pending",
          attempt: 0,
          priority: 3,
          runAt: now(),
          scheduledAt: now(),
          createdAt: now(),
          rerunOf: "e1",
          rerunFromStep: "s3",
        });
        for (const field of ["data", "error", "startedAt", "leaseOwner", "parentId", "timeoutAt"] as const) {
          expect(record[field]).toBeUndefined();
        }
        expect(forked.steps).toEqual(before.steps.slice(0, 3));
        expect(forked.events).toEqual([]);
        expect(await details("e1")).toEqual(before);
        await flush();
        expect(wakes).toEqual(ifPush(scheduler, [{ reason: "created", executionId: "e2" }]));

        const withInput = await scheduler.forkExecution(
          { sourceId: "e1", executionId: "e3", fromStep: "s0", payload: '{"n":2}' },
          now(),
        );
        expect(withInput.payload).toBe('{"n":2}');
        expect((await details("e3")).steps).toEqual([]);
        const claimed = await scheduler.claim({
          workerId: "w2",
          taskNames: ["task"],
          limit: 10,
          leaseMs: 1000,
          now: now(),
        });
        const e2 = claimed.find((work) => work.execution.executionId === "e2");
        expect(e2?.steps.map((s) => s.name)).toEqual(["s0", "s1", "s2"]);
      },
    );

    test(
      "refusesBadFork",
      "refuses an unknown execution, an unknown step and a taken id, writing nothing",
      async () => {
        const { scheduler, start, claimOne, step, now, details } = await verbEnv(h);
        await start("e1");
        const { lease } = await claimOne();
        await scheduler.saveStep(lease, step(0), {}, now());
        await start("taken");
        const before = await details("e1");
        const fork = (sourceId: string, executionId: string, fromStep: string) =>
          scheduler.forkExecution({ sourceId, executionId, fromStep }, now()).catch((e: unknown) => e);

        expect(await fork("nope", "e2", "s0")).toBeInstanceOf(ExecutionNotFoundError);
        const unknownStep = await fork("e1", "e2", "s9");
        expect(unknownStep).toBeInstanceOf(StepNotFoundError);
        expect(unknownStep).toMatchObject({ code: "STEP_NOT_FOUND" });
        expect(await fork("e1", "taken", "s0")).toBeInstanceOf(ExecutionAlreadyExistsError);
        expect(await fork("e1", "e1", "s0")).toBeInstanceOf(ExecutionAlreadyExistsError);
        expect(await scheduler.getExecution("e2")).toBeUndefined();
        expect((await details("taken")).steps).toEqual([]);
        expect(await details("e1")).toEqual(before);
      },
    );

    test(
      "copiesFlowKeys",
      "keeps the original's concurrency and rate keys (so its queue), priority and version; new data's keys replace them",
      async () => {
        type Tenant = { tenant: string };
        const tenants = defineQueue({
          name: "tenants",
          concurrency: { limit: 2, key: (data: Tenant) => data.tenant },
          rateLimit: { limit: 100, period: "1m", key: (data: Tenant) => data.tenant },
        });
        const task = defineTask({
          name: "tenant-job",
          queue: tenants,
          version: "v2",
          maxRetries: 0,
          async run(ctx, _data: Tenant) {
            await ctx.step("a", async () => 1);
            await ctx.step("b", async () => {
              throw new NonRetryableError("no");
            });
          },
        });
        const env = await h.env(task);
        await env.durable.startFor(task, "e1", { tenant: "t7" }, { priority: 3 });
        await env.run();
        await env.durable.rerun("e1", { fromStep: "b", newId: "e2" });
        await env.durable.rerun("e1", { fromStep: "b", newId: "e3", data: { tenant: "t9" } });
        const flow = async (id: string) => {
          const { concurrencyKey, rateKey, priority, version } = (await env.scheduler.getExecution(id))!
            .execution;
          return { concurrencyKey, rateKey, priority, version };
        };
        const original = await flow("e1");
        expect(original).toMatchObject({ concurrencyKey: "queue:tenants\nt7", priority: 3, version: "v2" });
        expect(original.rateKey).toContain("t7");
        expect(await flow("e2")).toEqual(original);
        expect(await flow("e3")).toEqual({
          ...original,
          concurrencyKey: "queue:tenants\nt9",
          rateKey: original.rateKey?.replace("t7", "t9"),
        });
        const queued = await env.scheduler.listExecutions({ queue: "tenants", limit: 10, offset: 0 });
        expect(queued.map((d) => d.execution.executionId).sort()).toEqual(["e1", "e2", "e3"]);
      },
    );

    test("oneOfRacingForksWins", "lets exactly one of N racing forks to one id win", async () => {
      const { env, start, claimOne, step, now, details } = await verbEnv(h);
      await start("e1");
      const { lease } = await claimOne();
      await env.scheduler.saveStep(lease, step(0), {}, now());
      await env.scheduler.saveStep(lease, step(1), {}, now());
      const schedulers = [env.scheduler, ...(await Promise.all([1, 2, 3].map(() => env.newScheduler())))];
      const outcomes = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          schedulers[i % schedulers.length]!.forkExecution(
            { sourceId: "e1", executionId: "e2", fromStep: "s1", payload: String(i) },
            now(),
          ),
        ),
      );
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === "rejected") expect(o.reason).toBeInstanceOf(ExecutionAlreadyExistsError);
      }
      expect((await details("e2")).steps.map((s) => s.name)).toEqual(["s0"]);
    });
  });
});
