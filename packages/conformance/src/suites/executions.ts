import {
  defineTask,
  ExecutionAlreadyExistsError,
  ExecutionCancelledError,
  ExecutionFailedError,
  ExecutionNotFoundError,
  type ListOptions,
  NonRetryableError,
  WaitTimeoutError,
  type ZartError,
} from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const EXECUTIONS_TESTS = [
  "runsToCompletion",
  "reportsFailedExecution",
  "acceptsClassFormTask",
  "leavesUnregisteredTaskPending",
  "throwsForUnknownId",
  "delaysStart",
  "rejectsStartOfUnfinishedId",
  "startsNewRunOfTerminalId",
  "waitCompletionReturnsOrThrows",
  "waitTimesOut",
  "startAndWaitForReturnsOutput",
  "listsNewestFirst",
  "purgesOnlyTerminalExecutions",
] as const;

/** Starting, idempotency, status, waiting, listing and purging executions. */
export const executionsSuite = defineSuite("executions", EXECUTIONS_TESTS, (h, test) => {
  const echo = defineTask({
    name: "echo",
    async run(ctx, data: { n: number }) {
      const doubled = await ctx.step("double", () => data.n * 2);
      return { doubled };
    },
  });
  const waitsForGo = defineTask({
    name: "waits-for-go",
    async run(ctx) {
      return ctx.waitForEvent("go");
    },
  });
  const fails = defineTask({
    name: "fails",
    async run() {
      throw new NonRetryableError("no");
    },
  });

  describe("start and status", () => {
    test(
      "runsToCompletion",
      "runs an execution to completion and reports the full status shape",
      async () => {
        const shape = defineTask({
          name: "shape",
          async run(ctx, data: { n: number }) {
            return ctx.step("work", () => {
              env.clock.advance("1s");
              return data.n + 1;
            });
          },
        });
        const env = await h.env(shape);
        const t0 = env.clock.now();
        const started = await env.durable.start("e1", "shape", { n: 41 });
        expect(started).toMatchObject({ executionId: "e1", taskName: "shape", status: "pending" });
        expect(started.scheduledAt).toEqual(t0);
        expect(started.createdAt).toEqual(t0);

        const pending = await env.durable.status("e1");
        expect(pending).toMatchObject({ name: "shape", executionId: "e1", payload: { n: 41 } });
        expect(pending.status).toBe("pending");
        expect(pending.steps).toEqual([]);
        expect(pending.startedAt).toBeUndefined();

        const t1 = env.clock.advance("1m");
        await env.run();
        const t2 = new Date(t1.getTime() + 1000);
        const status = await env.durable.status("e1");
        expect(status).toMatchObject({
          name: "shape",
          executionId: "e1",
          payload: { n: 41 },
          status: "completed",
          result: 42,
          attempt: 0,
          scheduledAt: t0,
          createdAt: t0,
          startedAt: t1,
          completedAt: t2,
        });
        expect(status.error).toBeUndefined();
        expect(status.steps).toHaveLength(1);
        expect(status.steps[0]).toMatchObject({
          name: "work",
          kind: "step",
          status: "completed",
          result: 42,
          attempts: 1,
          startedAt: t1,
          completedAt: t2,
        });
        expect(status.steps[0]?.error).toBeUndefined();
      },
    );

    test("reportsFailedExecution", "reports a failed execution's error with its code", async () => {
      const env = await h.env(fails);
      await env.durable.start("e1", "fails", null);
      await env.run();
      const status = await env.durable.status("e1");
      expect(status.status).toBe("failed");
      expect(status.error).toMatchObject({ name: "NonRetryableError", code: "NON_RETRYABLE" });
      expect(status.result).toBeUndefined();
      expect(status.completedAt).toEqual(env.clock.now());
    });

    test("acceptsClassFormTask", "accepts the class form of a task (register(name, handler))", async () => {
      const env = await h.env();
      env.registry.register("class-form", {
        maxRetries: 0,
        async run(ctx, data: string) {
          return ctx.step("upper", () => data.toUpperCase());
        },
      });
      await env.durable.start("e1", "class-form", "abc");
      await env.run();
      expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: "ABC" });
    });

    test(
      "leavesUnregisteredTaskPending",
      "leaves an execution whose task no worker has registered pending, unclaimed",
      async () => {
        const env = await h.env(echo);
        await env.newClient({}).start("e1", "nobody-has-it", {});
        await env.run();
        expect(await env.durable.status("e1")).toMatchObject({ status: "pending", attempt: 0 });
        expect(env.claimCount("e1")).toBe(0);
      },
    );

    test("throwsForUnknownId", "throws ExecutionNotFoundError for an unknown id", async () => {
      const env = await h.env();
      const error = await env.durable.status("missing").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExecutionNotFoundError);
      expect((error as ZartError).code).toBe("EXECUTION_NOT_FOUND");
    });

    test("delaysStart", "delays the start until runAt / delay has passed", async () => {
      const env = await h.env(echo);
      const t0 = env.clock.now();
      const runAt = new Date(t0.getTime() + 3_600_000);
      await env.durable.start("at", "echo", { n: 1 }, { runAt });
      await env.durable.start("after", "echo", { n: 2 }, { delay: "2h" });
      expect((await env.durable.status("at")).scheduledAt).toEqual(runAt);
      env.clock.advance("59m");
      await env.run();
      expect((await env.durable.status("at")).status).toBe("pending");
      env.clock.advance("1m");
      await env.run();
      expect((await env.durable.status("at")).status).toBe("completed");
      expect((await env.durable.status("after")).status).toBe("pending");
      env.clock.advance("1h");
      await env.run();
      expect((await env.durable.status("after")).status).toBe("completed");
    });
  });

  describe("executionId is the idempotency key", () => {
    test(
      "rejectsStartOfUnfinishedId",
      "rejects starting an id that is pending or waiting with ExecutionAlreadyExistsError",
      async () => {
        const env = await h.env(waitsForGo);
        await env.durable.start("e1", "waits-for-go", { first: true });
        const pending = await env.durable.start("e1", "waits-for-go", {}).catch((e: unknown) => e);
        expect(pending).toBeInstanceOf(ExecutionAlreadyExistsError);
        expect((pending as ZartError).code).toBe("EXECUTION_ALREADY_EXISTS");
        await env.run();
        expect((await env.durable.status("e1")).status).toBe("waiting");
        await expect(env.durable.start("e1", "waits-for-go", {})).rejects.toBeInstanceOf(
          ExecutionAlreadyExistsError,
        );
        const status = await env.durable.status("e1");
        expect(status.payload).toEqual({ first: true });
        expect(status.status).toBe("waiting");
      },
    );

    test(
      "startsNewRunOfTerminalId",
      "starts a new run when the id's execution is terminal: old steps and events are gone",
      async () => {
        let calls = 0;
        const task = defineTask({
          name: "rerun",
          async run(ctx, data: { v: number }) {
            await ctx.step("count", () => ++calls);
            const event = await ctx.waitForEvent<number>("go");
            return data.v + event;
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "rerun", { v: 1 });
        await env.durable.offerEvent("e1", "go", 10);
        await env.run();
        expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: 11 });

        env.clock.advance("1m");
        const again = await env.durable.start("e1", "rerun", { v: 2 });
        expect(again.status).toBe("pending");
        const fresh = await env.durable.status("e1");
        expect(fresh).toMatchObject({
          status: "pending",
          attempt: 0,
          payload: { v: 2 },
          steps: [],
          events: [],
        });
        expect(fresh.result).toBeUndefined();
        expect(fresh.completedAt).toBeUndefined();
        expect(fresh.createdAt).toEqual(env.clock.now());

        await env.run();
        expect((await env.durable.status("e1")).status).toBe("waiting");
        expect(calls).toBe(2);
      },
    );
  });

  describe("waiting for results", () => {
    test(
      "waitCompletionReturnsOrThrows",
      "waitCompletion returns the result, or throws ExecutionFailedError / ExecutionCancelledError",
      async () => {
        const env = await h.env(echo, fails, waitsForGo);
        await env.durable.start("ok", "echo", { n: 4 });
        await env.durable.start("bad", "fails", null);
        await env.durable.start("cancelled", "waits-for-go", null);
        await env.run();
        await env.durable.cancel("cancelled");
        const opts = { timeout: "5s", pollInterval: 5 } as const;
        expect(await env.durable.waitCompletion("ok", opts)).toEqual({ doubled: 8 });
        expect(await env.durable.waitFor(echo, "ok", opts)).toEqual({ doubled: 8 });

        const failed = await env.durable.waitCompletion("bad", opts).catch((e: unknown) => e);
        expect(failed).toBeInstanceOf(ExecutionFailedError);
        expect((failed as ZartError).code).toBe("EXECUTION_FAILED");
        expect(((failed as Error).cause as ZartError).code).toBe("NON_RETRYABLE");

        const cancelled = await env.durable.waitCompletion("cancelled", opts).catch((e: unknown) => e);
        expect(cancelled).toBeInstanceOf(ExecutionCancelledError);
        expect((cancelled as ZartError).code).toBe("EXECUTION_CANCELLED");
      },
    );

    test("waitTimesOut", "wait throws WaitTimeoutError while the execution is not terminal", async () => {
      const env = await h.env(waitsForGo);
      await env.durable.start("e1", "waits-for-go", null);
      const error = await env.durable.wait("e1", { timeout: 1, pollInterval: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WaitTimeoutError);
      expect((error as ZartError).code).toBe("WAIT_TIMEOUT");
    });

    test(
      "startAndWaitForReturnsOutput",
      "startAndWaitFor returns the output once a started worker has run it",
      async () => {
        const env = await h.env(echo);
        await env.worker.start();
        const out = await env.durable.startAndWaitFor(
          echo,
          "e1",
          { n: 21 },
          { timeout: "10s", pollInterval: 5 },
        );
        expect(out).toEqual({ doubled: 42 });
      },
    );
  });

  describe("listExecutions", () => {
    test("listsNewestFirst", "lists newest first with status and task filters and pagination", async () => {
      const env = await h.env(echo, waitsForGo);
      for (const [id, task] of [
        ["a", "echo"],
        ["b", "waits-for-go"],
        ["c", "echo"],
        ["d", "waits-for-go"],
        ["e", "echo"],
      ] as const) {
        await env.durable.start(id, task, { n: 1 });
        env.clock.advance("1s");
      }
      await env.run();
      const ids = async (options: ListOptions) =>
        (await env.durable.listExecutions(options)).map((s) => s.executionId);
      expect(await ids({})).toEqual(["e", "d", "c", "b", "a"]);
      expect(await ids({ limit: 2 })).toEqual(["e", "d"]);
      expect(await ids({ limit: 2, offset: 2 })).toEqual(["c", "b"]);
      expect(await ids({ offset: 4 })).toEqual(["a"]);
      expect(await ids({ offset: 5 })).toEqual([]);
      expect(await ids({ taskName: "echo" })).toEqual(["e", "c", "a"]);
      expect(await ids({ status: "waiting" })).toEqual(["d", "b"]);
      expect(await ids({ status: "completed", taskName: "echo", limit: 1, offset: 1 })).toEqual(["c"]);
      expect(await ids({ status: "failed" })).toEqual([]);
      const [first] = await env.durable.listExecutions({ limit: 1 });
      expect(first).toMatchObject({ name: "echo", status: "completed", result: { doubled: 2 } });
      expect(first?.steps.map((s) => s.name)).toEqual(["double"]);
    });
  });

  describe("purge", () => {
    test(
      "purgesOnlyTerminalExecutions",
      "deletes only terminal executions older than the cut-off, with their steps and events",
      async () => {
        const env = await h.env(echo, fails, waitsForGo);
        await env.durable.start("old-ok", "echo", { n: 1 });
        await env.durable.start("old-failed", "fails", null);
        await env.durable.start("old-cancelled", "waits-for-go", null);
        await env.durable.start("still-waiting", "waits-for-go", null);
        await env.durable.offerEvent("still-waiting", "other", 1);
        await env.run();
        await env.durable.cancel("old-cancelled");
        env.clock.advance("2h");
        await env.durable.start("recent-ok", "echo", { n: 2 });
        await env.run();

        expect(await env.durable.purge({ olderThan: "1h", statuses: ["failed"] })).toBe(1);
        await expect(env.durable.status("old-failed")).rejects.toBeInstanceOf(ExecutionNotFoundError);
        expect((await env.durable.status("old-ok")).status).toBe("completed");

        expect(await env.durable.purge({ olderThan: "1h" })).toBe(2);
        for (const id of ["old-ok", "old-cancelled"]) {
          await expect(env.durable.status(id)).rejects.toBeInstanceOf(ExecutionNotFoundError);
        }
        expect((await env.durable.status("still-waiting")).events).toHaveLength(1);
        expect((await env.durable.status("recent-ok")).status).toBe("completed");
        const listed = (await env.durable.listExecutions()).map((s) => s.executionId).sort();
        expect(listed).toEqual(["recent-ok", "still-waiting"]);

        await env.durable.start("old-ok", "echo", { n: 3 });
        expect(await env.durable.status("old-ok")).toMatchObject({
          status: "pending",
          steps: [],
          events: [],
        });

        expect(await env.durable.purge({ olderThan: env.clock.now() })).toBe(0);
        env.clock.advance("1ms");
        expect(await env.durable.purge({ olderThan: env.clock.now() })).toBe(1);
        await expect(env.durable.status("recent-ok")).rejects.toBeInstanceOf(ExecutionNotFoundError);
      },
    );
  });
});
