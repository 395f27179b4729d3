import {
  defineTask,
  EventTimeoutError,
  LeaseLostError,
  type ReceivedEvent,
  ValidationError,
} from "@zart/core";
import { anyEventResult, joinWaitEvents } from "@zart/core/store";
import { describe, expect } from "vitest";
import { defineSuite } from "../../define-suite.js";
import { personSchema } from "../../harness.js";
import { TIMEOUT, verbEnv } from "../verbs/support.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const SEMANTICS_ANY_EVENT_TESTS = [
  "takesFirstOfferedEvent",
  "parksUntilAnyOffer",
  "timesOutAtPersistedDeadline",
  "consumesOneOfRacingOffers",
  "validatesPayloadsAndNames",
  "awaitAnyEventVerb",
] as const;

/** Issue 12 item 4b: `ctx.waitForAnyEvent(names)` takes the first offered event among the names. */
export const anyEventSuite = defineSuite("semantics/any-event", SEMANTICS_ANY_EVENT_TESTS, (h, test) => {
  /** Waits for approve/reject, then sleeps an hour (a replay), then takes the "approve" left over. */
  function decisionTask(name: string, seen: ReceivedEvent[]) {
    return defineTask({
      name,
      async run(ctx) {
        const first = await ctx.waitForAnyEvent(["approve", "reject"]);
        seen.push(first);
        await ctx.sleep("pause", "1h");
        const rest = await ctx.waitForEvent("approve", { timeout: "1s" }).catch((e: unknown) => e);
        return { first, rest: rest instanceof EventTimeoutError ? "none" : rest };
      },
    });
  }

  describe("waitForAnyEvent", () => {
    test(
      "takesFirstOfferedEvent",
      "takes the first offered event across names, leaves the others, and replays the same",
      async () => {
        const seen: ReceivedEvent[] = [];
        const env = await h.env(decisionTask("any-order", seen));
        await env.durable.start("e1", "any-order", null);
        await env.durable.offerEvent("e1", "reject", { by: "bob" });
        await env.durable.offerEvent("e1", "approve", { by: "ann" });
        await env.run();
        expect(seen).toEqual([{ name: "reject", payload: { by: "bob" } }]);
        const parked = await env.durable.status("e1");
        expect(parked.events.map((e) => [e.eventName, e.consumedAt !== undefined])).toEqual([
          ["reject", true],
          ["approve", false],
        ]);
        env.clock.advance("1h");
        await env.run();
        expect(seen).toEqual([
          { name: "reject", payload: { by: "bob" } },
          { name: "reject", payload: { by: "bob" } },
        ]);
        expect(await env.durable.status("e1")).toMatchObject({
          status: "completed",
          result: { first: { name: "reject", payload: { by: "bob" } }, rest: { by: "ann" } },
        });
      },
    );

    test("parksUntilAnyOffer", "parks until an offer of any of the names wakes it", async () => {
      const seen: ReceivedEvent[] = [];
      const env = await h.env(decisionTask("any-wake", seen));
      await env.durable.start("e1", "any-wake", null);
      await env.run();
      expect((await env.durable.status("e1")).status).toBe("waiting");
      await env.durable.offerEvent("e1", "other", 1);
      await env.run();
      expect(seen).toEqual([]);
      await env.durable.offerEvent("e1", "approve", "yes");
      await env.run();
      expect(seen).toEqual([{ name: "approve", payload: "yes" }]);
      const status = await env.durable.status("e1");
      expect(status.events.find((e) => e.eventName === "other")?.consumedAt).toBeUndefined();
    });

    test(
      "timesOutAtPersistedDeadline",
      "times out with EventTimeoutError at the persisted deadline, on the injected clock",
      async () => {
        const task = defineTask({
          name: "any-timeout",
          async run(ctx) {
            return ctx.waitForAnyEvent(["a", "b"], { timeout: "1m" }).catch((e: unknown) => {
              if (e instanceof EventTimeoutError) return "timed out";
              throw e;
            });
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "any-timeout", null);
        await env.run();
        env.clock.advance("59s");
        await env.run();
        expect((await env.durable.status("e1")).status).toBe("waiting");
        env.clock.advance("1s");
        await env.run();
        expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: "timed out" });
      },
    );

    test("consumesOneOfRacingOffers", "consumes exactly one of two racing offers", async () => {
      const seen: ReceivedEvent[] = [];
      const env = await h.env(decisionTask("any-race", seen));
      await env.durable.start("e1", "any-race", null);
      await env.run();
      const other = env.newClient();
      await Promise.all([
        env.durable.offerEvent("e1", "approve", "a"),
        other.offerEvent("e1", "reject", "r"),
      ]);
      await env.run();
      expect(seen).toHaveLength(1);
      const events = (await env.durable.status("e1")).events;
      const consumed = events.filter((e) => e.consumedAt !== undefined);
      expect(consumed.map((e) => e.eventName)).toEqual([seen[0]?.name]);
      // The first offered of the two is the one taken.
      expect(events[0]?.eventName).toBe(seen[0]?.name);
    });

    test(
      "validatesPayloadsAndNames",
      "validates payloads with `schemas` and rejects bad name lists at the call",
      async () => {
        const task = defineTask({
          name: "any-schemas",
          async run(ctx, mode: string) {
            if (mode === "empty") return ctx.waitForAnyEvent([]);
            if (mode === "twice") return ctx.waitForAnyEvent(["a", "a"]);
            return ctx.waitForAnyEvent(["a", "b"], { schemas: { a: personSchema } });
          },
        });
        const env = await h.env(task);
        await env.durable.start("empty", "any-schemas", "empty");
        await env.durable.start("twice", "any-schemas", "twice");
        await env.durable.start("typed", "any-schemas", "typed");
        await env.durable.offerEvent("typed", "a", { name: 1 });
        await env.run();
        for (const id of ["empty", "twice", "typed"]) {
          const status = await env.durable.status(id);
          expect(status.status).toBe("failed");
          expect(status.error?.code).toBe(new ValidationError("x").code);
        }
      },
    );

    test(
      "awaitAnyEventVerb",
      "awaitAnyEvent: first offered across names, parks on all names, fenced",
      async () => {
        const { clock, scheduler, start, claimOne, now, details } = await verbEnv(h);
        await start("e1");
        const first = await claimOne();
        const wait = (position: number) => ({
          position,
          stepName: "a|b",
          eventNames: ["a", "b"],
          timeoutError: TIMEOUT,
        });
        const stale = { ...first.lease, token: "stale" };
        await expect(scheduler.awaitAnyEvent(stale, wait(0), {}, now())).rejects.toThrow(LeaseLostError);
        expect(await scheduler.awaitAnyEvent(first.lease, wait(0), {}, now())).toEqual({
          outcome: "suspended",
        });
        expect((await details("e1")).execution).toMatchObject({
          status: "waiting",
          waitReason: "event",
          waitEvent: joinWaitEvents(["a", "b"]),
        });
        clock.advance("1s");
        await scheduler.offerEvent({ executionId: "e1", eventName: "b", payload: '"B"' }, now());
        await scheduler.offerEvent({ executionId: "e1", eventName: "a", payload: '"A"' }, now());
        expect((await details("e1")).execution).toMatchObject({ status: "pending" });
        const second = await claimOne();
        expect(second.steps[0]).toMatchObject({ status: "waiting" });
        expect(await scheduler.awaitAnyEvent(second.lease, wait(0), {}, now())).toEqual({
          outcome: "received",
          eventName: "b",
          payload: '"B"',
        });
        const { steps, events } = await details("e1");
        expect(steps[0]).toMatchObject({ status: "completed", kind: "event", name: "a|b" });
        expect(JSON.parse(steps[0]?.result ?? "")).toEqual(JSON.parse(anyEventResult("b", '"B"')));
        expect(events.map((e) => [e.eventName, e.consumedAt !== undefined])).toEqual([
          ["b", true],
          ["a", false],
        ]);
      },
    );
  });
});
