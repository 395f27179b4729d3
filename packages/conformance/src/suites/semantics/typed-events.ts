import { defineTask, ValidationError } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../../define-suite.js";
import { personSchema } from "../../harness.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const SEMANTICS_TYPED_EVENTS_TESTS = ["rejectsOfferFailingSchema", "failsWaitOnBadPayload"] as const;

/**
 * Issue 12 item 5: `defineTask({ events })` types and validates events; a client with a registry
 * rejects a bad offer before persisting; a payload that still fails at the wait is the wait's
 * recorded outcome (a catchable `ValidationError`, the same on replay).
 */
export const typedEventsSuite = defineSuite(
  "semantics/typed-events",
  SEMANTICS_TYPED_EVENTS_TESTS,
  (h, test) => {
    const approval = defineTask({
      name: "typed-approval",
      events: { approval: personSchema },
      async run(ctx) {
        const decision = await ctx.waitForEvent("approval");
        return decision.name;
      },
    });

    describe("typed events", () => {
      test(
        "rejectsOfferFailingSchema",
        "rejects an offer that fails the declared schema, persisting nothing",
        async () => {
          const env = await h.env(approval);
          await env.durable.start("e1", "typed-approval", null);
          await env.run();
          const bad = await env.durable.offerEvent("e1", "approval", { name: 42 }).catch((e: unknown) => e);
          expect(bad).toBeInstanceOf(ValidationError);
          expect((bad as ValidationError).issues).toHaveLength(1);
          const undeclared = await env.durable.offerEvent("e1", "other", {}).catch((e: unknown) => e);
          expect(undeclared).toBeInstanceOf(ValidationError);
          expect((undeclared as Error).message).toContain('"approval"');
          const status = await env.durable.status("e1");
          expect(status.events).toEqual([]);
          expect(status.status).toBe("waiting");

          expect(await env.durable.offerEvent("e1", "approval", { name: "Ann" })).toEqual({
            status: "delivered",
          });
          await env.run();
          expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: "Ann" });
        },
      );

      test(
        "failsWaitOnBadPayload",
        "fails the wait with a catchable ValidationError, recorded and replayed, when a client without registry sent a bad payload",
        async () => {
          const caught: unknown[] = [];
          const task = defineTask({
            name: "typed-approval-caught",
            events: { approval: personSchema },
            async run(ctx) {
              let outcome: string;
              try {
                outcome = (await ctx.waitForEvent("approval")).name;
              } catch (error) {
                caught.push(error);
                outcome = "invalid";
              }
              await ctx.sleep("pause", "1h");
              return outcome;
            },
          });
          const env = await h.env(task);
          await env.durable.start("e1", "typed-approval-caught", null);
          await env.run();
          const unchecked = env.newClient({});
          expect(await unchecked.offerEvent("e1", "approval", { name: 42 })).toEqual({ status: "delivered" });
          await env.run();
          env.clock.advance("1h");
          await env.run();
          expect(caught).toHaveLength(2);
          for (const error of caught) expect(error).toBeInstanceOf(ValidationError);
          const status = await env.durable.status("e1");
          expect(status).toMatchObject({ status: "completed", result: "invalid" });
          expect(status.steps.map((s) => [s.name, s.status, s.error?.code])).toEqual([
            ["approval", "failed", "VALIDATION"],
            ["pause", "completed", undefined],
          ]);
        },
      );
    });
  },
);
