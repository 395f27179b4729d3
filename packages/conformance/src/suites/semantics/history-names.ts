import { defineTask } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../../define-suite.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const SEMANTICS_HISTORY_NAMES_TESTS = ["rejectsHashInStepName"] as const;

/** Issue 12 item 7a: `#` is reserved for the suffixes of repeated names, so no two entries share a name. */
export const historyNamesSuite = defineSuite(
  "semantics/history-names",
  SEMANTICS_HISTORY_NAMES_TESTS,
  (h, test) => {
    describe("history names", () => {
      test(
        "rejectsHashInStepName",
        'rejects a step name containing "#" with ValidationError, at call time',
        async () => {
          const task = defineTask({
            name: "hash-name",
            async run(ctx) {
              await ctx.step("notify", () => 1);
              await ctx.step("notify", () => 2);
              return ctx.step("notify#1", () => 3);
            },
          });
          const env = await h.env(task);
          await env.durable.start("e1", "hash-name", null);
          await env.run();
          const status = await env.durable.status("e1");
          expect(status.status).toBe("failed");
          expect(status.error?.code).toBe("VALIDATION");
          expect(status.error?.message).toContain("notify#1");
          expect(status.steps.map((s) => s.name)).toEqual(["notify", "notify#1"]);
        },
      );
    });
  },
);
