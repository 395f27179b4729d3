import {
  ChildExecutionCancelledError,
  ChildExecutionFailedError,
  defineTask,
  NonRetryableError,
  type TaskContext,
  ValidationError,
} from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { codesOf, personSchema } from "../harness.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const CHILD_EXECUTIONS_TESTS = [
  "returnsChildResult",
  "invokesByTaskName",
  "childFailureIsTyped",
  "uncaughtChildFailureFailsParent",
  "validatesChildInput",
  "taskRetryStartsChildOnce",
  "cancelsNonDetachedChildren",
] as const;

/** Issue #13 item 1: child executions started and awaited by a parent task. */
export const childExecutionsSuite = defineSuite("child-executions", CHILD_EXECUTIONS_TESTS, (h, test) => {
  const double = defineTask({
    name: "double",
    input: personSchema,
    async run(ctx, data) {
      return ctx.step("twice", () => `${data.name}${data.name}`);
    },
  });

  describe("start and wait", () => {
    test(
      "returnsChildResult",
      "invokes a child: its result comes back, the parent is woken exactly once",
      async () => {
        const parent = defineTask({
          name: "parent",
          async run(ctx) {
            const handle = await ctx.startChild(double, { name: "ab" });
            return { id: handle.executionId, result: await ctx.waitForChild(handle) };
          },
        });
        const env = await h.env(parent, double);
        await env.durable.start("p1", "parent", null);
        await env.run();
        const status = await env.durable.status("p1");
        expect(status.status).toBe("completed");
        expect(status.result).toEqual({ id: "p1/double", result: "abab" });
        expect(status.steps.map((s) => [s.name, s.kind, s.status, s.result])).toEqual([
          ["double", "child", "completed", "p1/double"],
          ["wait:double", "child", "completed", ["abab"]],
        ]);
        expect(env.claimCount("p1")).toBe(2);
        expect(env.claimCount("p1/double")).toBe(1);
        const child = await env.durable.status("p1/double");
        expect(child).toMatchObject({ status: "completed", parentId: "p1", result: "abab" });
        const listed = await env.durable.listExecutions({ parentId: "p1" });
        expect(listed.map((s) => s.executionId)).toEqual(["p1/double"]);
        expect(await env.durable.listExecutions({ parentId: "p1/double" })).toEqual([]);
      },
    );

    test(
      "invokesByTaskName",
      "invoke by task name with an explicit id; waitForChildren returns results in handle order",
      async () => {
        const parent = defineTask({
          name: "fan-out",
          async run(ctx) {
            const named = await ctx.invoke<{ name: string }, string>(
              "double",
              { name: "x" },
              { id: "fixed-id" },
            );
            const handles = [
              await ctx.startChild(double, { name: "a" }),
              await ctx.startChild(double, { name: "b" }),
              await ctx.startChild(double, { name: "c" }),
            ];
            return [named, ...(await ctx.waitForChildren(handles))];
          },
        });
        const env = await h.env(parent, double);
        await env.durable.start("p1", "fan-out", null);
        await env.run();
        const status = await env.durable.status("p1");
        expect(status).toMatchObject({ status: "completed", result: ["xx", "aa", "bb", "cc"] });
        expect((await env.durable.status("fixed-id")).parentId).toBe("p1");
        const ids = (await env.durable.listExecutions({ parentId: "p1" })).map((s) => s.executionId).sort();
        expect(ids).toEqual(["fixed-id", "p1/double#1", "p1/double#2", "p1/double#3"]);
      },
    );

    test(
      "childFailureIsTyped",
      "a child failure is ChildExecutionFailedError with the child's error as cause; a cancel is ChildExecutionCancelledError",
      async () => {
        const failing = defineTask({
          name: "failing",
          async run() {
            throw new NonRetryableError("card declined");
          },
        });
        const waiting = defineTask({
          name: "waiting",
          async run(ctx) {
            return ctx.waitForEvent("never");
          },
        });
        const outcome = async (ctx: TaskContext, task: string) =>
          ctx.invoke(task, null).then(
            () => "ok",
            (error: unknown) => ({
              codes: codesOf(error),
              instance: error instanceof Error ? error.name : "",
            }),
          );
        const parent = defineTask({
          name: "parent",
          async run(ctx) {
            return [await outcome(ctx, "failing"), await outcome(ctx, "waiting")];
          },
        });
        const env = await h.env(parent, failing, waiting);
        await env.durable.start("p1", "parent", null);
        await env.run();
        expect((await env.durable.status("p1")).status).toBe("waiting");
        expect((await env.durable.status("p1/waiting")).status).toBe("waiting");
        expect(await env.durable.cancel("p1/waiting")).toBe(true);
        await env.run();
        const status = await env.durable.status("p1");
        expect(status.status).toBe("completed");
        expect(status.result).toEqual([
          { codes: ["CHILD_EXECUTION_FAILED", "NON_RETRYABLE"], instance: ChildExecutionFailedError.name },
          { codes: ["CHILD_EXECUTION_CANCELLED"], instance: ChildExecutionCancelledError.name },
        ]);
        expect(status.steps.filter((s) => s.status === "failed").map((s) => s.error?.code)).toEqual([
          "CHILD_EXECUTION_FAILED",
          "CHILD_EXECUTION_CANCELLED",
        ]);
      },
    );

    test(
      "uncaughtChildFailureFailsParent",
      "an uncaught child failure fails the parent with ChildExecutionFailedError",
      async () => {
        const failing = defineTask({
          name: "failing",
          async run() {
            throw new NonRetryableError("no stock");
          },
        });
        const parent = defineTask({
          name: "parent",
          async run(ctx) {
            return ctx.invoke(failing, null);
          },
        });
        const env = await h.env(parent, failing);
        await env.durable.start("p1", "parent", null);
        await env.run();
        const status = await env.durable.status("p1");
        expect(status.status).toBe("failed");
        expect(status.error?.code).toBe("CHILD_EXECUTION_FAILED");
        expect(env.claimCount("p1/failing")).toBe(1);
      },
    );

    test(
      "validatesChildInput",
      "data failing the child's schema throws ValidationError at the call; nothing is started",
      async () => {
        const parent = defineTask({
          name: "parent",
          async run(ctx) {
            const byDefinition = await ctx.startChild(double, { nom: 1 } as never).catch((e: unknown) => e);
            const byName = await ctx.startChild("double", { nom: 2 }).catch((e: unknown) => e);
            return [byDefinition, byName].map((e) => [e instanceof ValidationError, codesOf(e)[0]]);
          },
        });
        const env = await h.env(parent, double);
        await env.durable.start("p1", "parent", null);
        await env.run();
        const status = await env.durable.status("p1");
        expect(status.result).toEqual([
          [true, "VALIDATION"],
          [true, "VALIDATION"],
        ]);
        expect(status.steps).toEqual([]);
        expect(await env.durable.listExecutions({ parentId: "p1" })).toEqual([]);
      },
    );
  });

  describe("exactly once across crashes", () => {
    test(
      "taskRetryStartsChildOnce",
      "a task retry after startChild replays the handle: one child, started once",
      async () => {
        let attempts = 0;
        const parent = defineTask({
          name: "parent",
          maxRetries: 2,
          async run(ctx) {
            const handle = await ctx.startChild(double, { name: "z" });
            if (attempts++ === 0) throw new Error("crash after start");
            return ctx.waitForChild(handle);
          },
        });
        const env = await h.env(parent, double);
        await env.durable.start("p1", "parent", null);
        await env.run();
        env.clock.advance("1h");
        await env.run();
        expect((await env.durable.status("p1")).result).toBe("zz");
        expect(await env.durable.listExecutions({ parentId: "p1" })).toHaveLength(1);
        expect(env.claimCount("p1/double")).toBe(1);
      },
    );
  });

  describe("cancel propagation", () => {
    test(
      "cancelsNonDetachedChildren",
      "cancelling a parent cancels its non-detached children recursively; a detached child lives on",
      async () => {
        const leaf = defineTask({
          name: "leaf",
          async run(ctx) {
            return ctx.waitForEvent("go");
          },
        });
        const middle = defineTask({
          name: "middle",
          async run(ctx) {
            return ctx.invoke(leaf, null);
          },
        });
        const root = defineTask({
          name: "root",
          async run(ctx) {
            const detached = await ctx.startChild(leaf, null, { id: "free", detached: true });
            const attached = await ctx.startChild(middle, null);
            return ctx.waitForChildren([detached, attached]);
          },
        });
        const env = await h.env(root, middle, leaf);
        await env.durable.start("r", "root", null);
        await env.run();
        expect((await env.durable.status("r/middle/leaf")).status).toBe("waiting");
        expect(await env.durable.cancel("r")).toBe(true);
        for (const id of ["r", "r/middle", "r/middle/leaf"]) {
          expect((await env.durable.status(id)).status, id).toBe("cancelled");
        }
        expect((await env.durable.status("free")).status).toBe("waiting");
        await env.durable.offerEvent("free", "go", "went");
        await env.run();
        expect(await env.durable.status("free")).toMatchObject({ status: "completed", result: "went" });
        expect((await env.durable.status("r")).status).toBe("cancelled");
      },
    );
  });
});
