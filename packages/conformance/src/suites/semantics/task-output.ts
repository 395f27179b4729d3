import { defineTask } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../../define-suite.js";
import { personSchema } from "../../harness.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const SEMANTICS_TASK_OUTPUT_TESTS = ["failsMismatchedResult", "recordsMatchingResult"] as const;

/** Issue 12 item 7c: the worker validates a task's result against its `output` schema. */
export const taskOutputSuite = defineSuite(
  "semantics/task-output",
  SEMANTICS_TASK_OUTPUT_TESTS,
  (h, test) => {
    describe("task output schema", () => {
      test(
        "failsMismatchedResult",
        "fails the attempt with ValidationError when the result does not match",
        async () => {
          const task = defineTask({
            name: "bad-output",
            output: personSchema,
            async run() {
              return { name: 7 } as unknown as { name: string };
            },
          });
          const env = await h.env(task);
          await env.durable.start("e1", "bad-output", null);
          await env.run();
          const status = await env.durable.status("e1");
          expect(status.status).toBe("failed");
          expect(status.error?.code).toBe("VALIDATION");
          expect(status.result).toBeUndefined();
        },
      );

      test("recordsMatchingResult", "records a matching result", async () => {
        const task = defineTask({
          name: "good-output",
          output: personSchema,
          async run() {
            return { name: "Ann" };
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "good-output", null);
        await env.run();
        expect(await env.durable.status("e1")).toMatchObject({
          status: "completed",
          result: { name: "Ann" },
        });
      });
    });
  },
);
