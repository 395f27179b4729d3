import { defineTask, type TaskDefinition, TaskRegistry, ValidationError } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import type { AnyTask, TestEnv } from "../harness.js";
import { claimTests, V1, V2 } from "./task-versions-claims.js";

/** `order` at `version` (absent: unversioned): step `a`, a one-minute nap, then its own step. */
function order(version: string | undefined, last: string) {
  return defineTask({
    name: "order",
    ...(version === undefined ? {} : { version }),
    async run(ctx) {
      await ctx.step("a", () => "a");
      await ctx.sleep("nap", "1m");
      await ctx.step(last, () => last);
      return version ?? "unversioned";
    },
  });
}

/** A worker on the env's store with only `tasks` registered. */
const workerWith = (env: TestEnv, ...tasks: AnyTask[]) => {
  const registry = new TaskRegistry();
  for (const task of tasks) registry.register(task);
  return env.newWorker({ registry });
};

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const TASK_VERSIONS_TESTS = [
  "twoVersionsSideBySide",
  "unversionedVersionedApart",
  "startByNameUsesLast",
  "claimFiltersOnVersion",
  "racingClaimersOwnVersion",
  "childrenFollowTheirTask",
  "rerunKeepsVersion",
  "scheduleFiresOnLast",
  "listFiltersVersion",
  "nonDeterminismNamesVersion",
  "rejectsEmptyVersion",
] as const;

/**
 * Task versions (`defineTask({ version })`): an execution records the version it started on and
 * only a worker that registered exactly that (task, version) claims it, so executions in flight
 * drain on the code they started with while new ones run on the new code.
 */
export const taskVersionsSuite = defineSuite("task-versions", TASK_VERSIONS_TESTS, (h, test) => {
  describe("task versions", () => {
    test(
      "twoVersionsSideBySide",
      "runs two versions of one task side by side on two workers, each claiming only its own",
      async () => {
        const v1 = order(V1, "b");
        const v2 = order(V2, "c");
        const env = await h.env(v1);
        await env.durable.start("old", "order", null);
        await env.run();
        const deployed = workerWith(env, v2);
        const client = env.newClient({ registry: new TaskRegistry().register(v2) });
        expect(await client.start("new", "order", null)).toMatchObject({ version: V2 });
        env.clock.advance("1m");
        await deployed.runUntilIdle();
        expect(await env.durable.status("new")).toMatchObject({ status: "waiting", version: V2 });
        expect(await env.durable.status("old")).toMatchObject({ status: "waiting", version: V1 });
        expect(env.claimCount("old")).toBe(1);
        env.clock.advance("1m");
        await deployed.runUntilIdle();
        await env.run();
        expect(await env.durable.status("old")).toMatchObject({ status: "completed", result: V1 });
        expect(await env.durable.status("new")).toMatchObject({ status: "completed", result: V2 });
        for (const unit of env.claims) {
          const expected = unit.execution.version === V1 ? env.worker.workerId : deployed.workerId;
          expect(unit.execution.leaseOwner).toBe(expected);
        }
        expect(env.claims.map((unit) => unit.execution.executionId).sort()).toEqual(
          ["new", "new", "old", "old"].sort(),
        );
      },
    );

    test(
      "unversionedVersionedApart",
      "claims an unversioned execution only with the task registered without a version, and the reverse",
      async () => {
        const plain = order(undefined, "b");
        const v1 = order(V1, "b");
        const env = await h.env();
        await env.newClient({}).start("plain", "order", null);
        await env.durable.startFor(v1, "versioned", null);
        const onlyPlain = workerWith(env, plain);
        await onlyPlain.runUntilIdle();
        expect(env.claimCount("plain")).toBe(1);
        expect(env.claimCount("versioned")).toBe(0);
        const onlyV1 = workerWith(env, v1);
        await onlyV1.runUntilIdle();
        expect(env.claimCount("versioned")).toBe(1);
        env.clock.advance("1m");
        await onlyV1.runUntilIdle();
        expect(env.claimCount("plain")).toBe(1);
        expect(await env.durable.status("versioned")).toMatchObject({ status: "completed", result: V1 });
        // One worker with both registrations runs each on its own code.
        await env.newClient({}).start("plain2", "order", null);
        await env.durable.startFor(v1, "versioned2", null);
        const both = workerWith(env, plain, v1);
        await both.runUntilIdle();
        env.clock.advance("1m");
        await both.runUntilIdle();
        for (const id of ["plain", "plain2"]) {
          const status = await env.durable.status(id);
          expect(status).toMatchObject({ status: "completed", result: "unversioned" });
          expect(status.version).toBeUndefined();
        }
        expect(await env.durable.status("versioned2")).toMatchObject({ status: "completed", result: V1 });
        for (const unit of env.claims) {
          const owner = unit.execution.version === undefined ? [onlyPlain, both] : [onlyV1, both];
          expect(owner.map((w) => w.workerId)).toContain(unit.execution.leaseOwner);
        }
      },
    );

    test(
      "startByNameUsesLast",
      "starts by name on the version registered last; a definition starts on its own version",
      async () => {
        const v1 = order(V1, "b");
        const v2 = order(V2, "c");
        const env = await h.env(v1, v2);
        expect(await env.durable.start("by-name", "order", null)).toMatchObject({ version: V2 });
        expect(await env.durable.startFor(v1, "by-definition", null)).toMatchObject({ version: V1 });
        await env.run();
        env.clock.advance("1m");
        await env.run();
        expect(await env.durable.status("by-name")).toMatchObject({ result: V2, version: V2 });
        expect(await env.durable.status("by-definition")).toMatchObject({ result: V1, version: V1 });
        expect((await env.durable.status("by-name")).steps.map((s) => s.name)).toEqual(["a", "nap", "c"]);
      },
    );

    claimTests(h, test);

    test("rerunKeepsVersion", "reruns an execution on the version it started on", async () => {
      const env = await h.env(order(V1, "b"), order(V2, "c"));
      await env.durable.startFor(order(V1, "b"), "e1", null);
      await env.run();
      env.clock.advance("1m");
      await env.run();
      const { executionId } = await env.durable.rerun("e1", { fromStep: "nap", newId: "e1-again" });
      expect(await env.durable.status(executionId)).toMatchObject({ version: V1 });
      await env.run();
      env.clock.advance("1m");
      await env.run();
      expect(await env.durable.status("e1-again")).toMatchObject({ status: "completed", result: V1 });
    });

    test(
      "scheduleFiresOnLast",
      "starts schedule fires and triggers on the version last registered where they fire",
      async () => {
        const env = await h.env(order(V1, "b"), order(V2, "c"));
        const cron = "0 * * * *";
        await env.durable.schedules.create({
          scheduleId: "s",
          task: "order",
          cron,
          data: null,
          overlap: "allow",
        });
        const { executionId } = await env.durable.schedules.trigger("s");
        expect(await env.durable.status(executionId)).toMatchObject({ version: V2 });
        env.clock.advance("1h");
        await env.run();
        const fires = await env.durable.listExecutions({ version: V2 });
        expect(fires.map((s) => s.executionId)).toContain("s@2030-01-01T01:00:00.000Z");
        expect(await env.durable.listExecutions({ version: V1 })).toEqual([]);
      },
    );

    test("listFiltersVersion", "lists the executions of one version", async () => {
      const env = await h.env(order(V1, "b"), order(V2, "c"));
      await env.newClient({}).start("u1", "order", null);
      await env.durable.startFor(order(V1, "b"), "a1", null);
      await env.durable.startFor(order(V1, "b"), "a2", null);
      await env.durable.start("b1", "order", null);
      const ids = async (version: string) =>
        (await env.durable.listExecutions({ version })).map((s) => s.executionId).sort();
      expect(await ids(V1)).toEqual(["a1", "a2"]);
      expect(await ids(V2)).toEqual(["b1"]);
      expect(await ids("never")).toEqual([]);
      expect(
        await env.durable.listExecutions({ version: V1, taskName: "order", status: "pending" }),
      ).toHaveLength(2);
    });

    test(
      "nonDeterminismNamesVersion",
      "names the version in the non-determinism error of two codes registered under one version",
      async () => {
        const env = await h.env(order(V1, "b"));
        await env.durable.start("e1", "order", null);
        await env.run();
        env.clock.advance("1m");
        const changed = defineTask({
          name: "order",
          version: V1,
          async run(ctx) {
            await ctx.step("x", () => "x");
            return "changed";
          },
        });
        await workerWith(env, changed).runUntilIdle();
        const status = await env.durable.status("e1");
        expect(status.status).toBe("failed");
        expect(status.error?.code).toBe("NON_DETERMINISM");
        expect(status.error?.message).toContain(`version "${V1}"`);
      },
    );

    test(
      "rejectsEmptyVersion",
      "rejects an empty version with a typed error and persists nothing",
      async () => {
        const env = await h.env();
        expect(() => defineTask({ name: "t", version: "", run: async () => 1 })).toThrow(ValidationError);
        const forged = { ...order(V1, "b"), version: "" } as TaskDefinition<null, string>;
        expect(() => new TaskRegistry().register(forged)).toThrow(ValidationError);
        await expect(env.durable.startFor(forged, "e1", null)).rejects.toBeInstanceOf(ValidationError);
        await expect(
          env.durable.offerEvent("e1", "go", null, { startIfMissing: { task: forged, data: null } }),
        ).rejects.toBeInstanceOf(ValidationError);
        await expect(env.durable.listExecutions({ version: "" })).rejects.toBeInstanceOf(ValidationError);
        expect(await env.scheduler.getExecution("e1")).toBeUndefined();
        expect(await env.durable.listExecutions()).toEqual([]);
      },
    );
  });
});
