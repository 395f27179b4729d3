import { DEFAULT_WAIT_COMPLETION_TIMEOUT, defineTask, ExecutionFailedError, toMillis } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../../define-suite.js";
import { finishes } from "../../harness.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const SEMANTICS_WAIT_COMPLETION_TESTS = [
  "capsWaitAt30s",
  "resolvesWithResult",
  "throwsForFailedExecution",
] as const;

/** Issue 12 item 7e: `waitCompletionWithTimeout(id)` is `waitCompletion` capped at 30 s (seed 002). */
export const waitCompletionSuite = defineSuite(
  "semantics/wait-completion",
  SEMANTICS_WAIT_COMPLETION_TESTS,
  (h, test) => {
    describe("waitCompletionWithTimeout", () => {
      test("capsWaitAt30s", "caps the wait at 30 s", () => {
        expect(toMillis(DEFAULT_WAIT_COMPLETION_TIMEOUT)).toBe(30_000);
      });

      test(
        "resolvesWithResult",
        "resolves with the result once a worker completes the execution",
        async () => {
          const task = defineTask({
            name: "wct-ok",
            async run() {
              return "done";
            },
          });
          const env = await h.env(task);
          await env.durable.start("e1", "wct-ok", null);
          const waiting = env.durable.waitCompletionWithTimeout<string>("e1", { pollInterval: 5 });
          await env.run();
          expect(await finishes(waiting, "the wait to resolve")).toBe("done");
        },
      );

      test("throwsForFailedExecution", "throws ExecutionFailedError for a failed execution", async () => {
        const task = defineTask({
          name: "wct-fails",
          async run() {
            throw new Error("boom");
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "wct-fails", null);
        await env.run();
        const error = await env.durable.waitCompletionWithTimeout("e1").catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ExecutionFailedError);
      });
    });
  },
);
