import { defineTask } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../../define-suite.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const SEMANTICS_UNAWAITED_STEPS_TESTS = ["failsOnUnawaitedStep"] as const;

/** Issue 12 item 7b: a `scheduleStep` handle never awaited fails the execution at completion. */
export const unawaitedStepsSuite = defineSuite(
  "semantics/unawaited-steps",
  SEMANTICS_UNAWAITED_STEPS_TESTS,
  (h, test) => {
    describe("unawaited parallel steps", () => {
      test(
        "failsOnUnawaitedStep",
        "fails the execution with UnawaitedStepError naming the dropped handle",
        async () => {
          let bodies = 0;
          const task = defineTask({
            name: "drops-a-handle",
            maxRetries: 2,
            async run(ctx) {
              const a = ctx.scheduleStep("a", () => ++bodies);
              ctx.scheduleStep("forgotten", () => ++bodies);
              return ctx.waitAll([a]);
            },
          });
          const env = await h.env(task);
          await env.durable.start("e1", "drops-a-handle", null);
          await env.run();
          const status = await env.durable.status("e1");
          expect(status).toMatchObject({ status: "failed", attempt: 0 });
          expect(status.error).toMatchObject({ code: "UNAWAITED_STEP", details: { steps: ["forgotten"] } });
          expect(bodies).toBe(1);
        },
      );
    });
  },
);
