import { defineTask } from "@zart/core";
import { expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { eventWait, flush, ifPush, recordWakeUps, verbEnv } from "./verbs/support.js";

const NOT_DECLARED = "the store does not declare answersOnOffer: the replayed awaitEvent takes the event";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const ANSWERS_ON_OFFER_TESTS = [
  "answersSuspendedWait",
  "answersWaitWithoutDeadline",
  "wokenRunReadsAnswer",
] as const;

/**
 * The `answersOnOffer` capability: `offerEvent` also answers a wait parked on the event that can
 * still receive it, in the same transaction. Every test skips itself on a store without the flag;
 * the plain path (the offer wakes, the replayed `awaitEvent` consumes) is in `store-verbs` and
 * `events`, which every store passes.
 */
export const answersOnOfferSuite = defineSuite("answers-on-offer", ANSWERS_ON_OFFER_TESTS, (h, test) => {
  const waitsForGo = defineTask({
    name: "waits-for-go",
    async run(ctx) {
      return ctx.waitForEvent("go");
    },
  });

  test(
    "answersSuspendedWait",
    "suspends, then an offer answers the wait at once: step completed, event consumed, due now",
    async (t) => {
      const { clock, scheduler, start, claimOne, now, details } = await verbEnv(h);
      t.skip(!scheduler.capabilities.answersOnOffer, NOT_DECLARED);
      const wakes = recordWakeUps(scheduler);
      await start("e1");
      const first = await claimOne();
      const deadline = new Date(now().getTime() + 60_000);
      expect(await scheduler.awaitEvent(first.lease, eventWait("go", deadline), {}, now())).toEqual({
        outcome: "suspended",
      });
      expect((await details("e1")).execution).toMatchObject({
        status: "waiting",
        waitReason: "event",
        waitEvent: "go",
        runAt: deadline,
      });
      const parked = (await details("e1")).steps[0]!;

      clock.advance("1s");
      expect(
        await scheduler.offerEvent({ executionId: "e1", eventName: "go", payload: '"yes"' }, now()),
      ).toBe("delivered");
      const { execution, steps, events } = await details("e1");
      expect(execution).toMatchObject({ status: "pending", runAt: now() });
      expect(execution.waitReason).toBeUndefined();
      expect(execution.waitEvent).toBeUndefined();
      expect(steps).toEqual([
        {
          ...parked,
          status: "completed",
          result: '"yes"',
          attempts: 1,
          wakeAt: deadline,
          completedAt: now(),
        },
      ]);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ eventName: "go", payload: '"yes"', consumedAt: now() });
      await flush();
      expect(wakes.filter((w) => w.reason === "event")).toEqual(
        ifPush(scheduler, [{ reason: "event", executionId: "e1" }]),
      );

      // The replay finds the wait decided in the claimed history: no awaitEvent is needed.
      const second = await claimOne();
      expect(second.lease.executionId).toBe("e1");
      expect(second.steps).toEqual(steps);
      await scheduler.completeExecution(second.lease, { result: '"yes"' }, {}, now());
      expect((await details("e1")).events[0]?.consumedAt).toEqual(now());
    },
  );

  test(
    "answersWaitWithoutDeadline",
    "answers a wait without a deadline, and only with an offer of the awaited name",
    async (t) => {
      const { scheduler, start, claimOne, now, details } = await verbEnv(h);
      t.skip(!scheduler.capabilities.answersOnOffer, NOT_DECLARED);
      await start("e1");
      const { lease } = await claimOne();
      expect(await scheduler.awaitEvent(lease, eventWait("go"), {}, now())).toEqual({ outcome: "suspended" });
      const before = await details("e1");

      const other = { executionId: "e1", eventName: "other", payload: "1", idempotencyKey: "k0" };
      expect(await scheduler.offerEvent(other, now())).toBe("delivered");
      const untouched = await details("e1");
      expect(untouched.execution).toEqual(before.execution);
      expect(untouched.execution).toMatchObject({ status: "waiting", waitReason: "event", waitEvent: "go" });
      expect(untouched.steps).toEqual(before.steps);
      expect(untouched.steps[0]?.status).toBe("waiting");
      expect(untouched.events).toHaveLength(1);
      expect(untouched.events[0]?.consumedAt).toBeUndefined();
      expect(
        await scheduler.claim({ workerId: "w", taskNames: ["task"], limit: 10, leaseMs: 1_000, now: now() }),
      ).toEqual([]);
      // An offer of the awaited name with a key already accepted is a duplicate: it answers nothing.
      expect(await scheduler.offerEvent({ ...other, eventName: "go" }, now())).toBe("duplicate");
      expect(await details("e1")).toEqual(untouched);

      const offer = { executionId: "e1", eventName: "go", payload: "2", idempotencyKey: "k" };
      expect(await scheduler.offerEvent(offer, now())).toBe("delivered");
      const answered = await details("e1");
      expect(answered.execution).toMatchObject({ status: "pending", runAt: now() });
      expect(answered.steps[0]).toMatchObject({ status: "completed", result: "2", completedAt: now() });
      expect(answered.steps[0]?.wakeAt).toBeUndefined();
      expect(answered.events.map((e) => [e.eventName, e.consumedAt])).toEqual([
        ["other", undefined],
        ["go", now()],
      ]);
      // A re-sent key changes nothing: the wait keeps the first payload.
      expect(await scheduler.offerEvent({ ...offer, payload: "3" }, now())).toBe("duplicate");
      expect(await details("e1")).toEqual(answered);
      expect((await claimOne()).steps).toEqual(answered.steps);
    },
  );

  test(
    "wokenRunReadsAnswer",
    "answers the parked wait with the offer: the woken run reads the event from its history",
    async (t) => {
      const env = await h.env(waitsForGo);
      t.skip(!env.scheduler.capabilities.answersOnOffer, NOT_DECLARED);
      await env.durable.start("e1", "waits-for-go", null);
      await env.run();
      expect(await env.durable.offerEvent("e1", "go", { n: 1 })).toEqual({ status: "delivered" });
      const answered = await env.durable.status("e1");
      expect(answered.status).toBe("pending");
      expect(answered.steps[0]).toMatchObject({
        name: "go",
        kind: "event",
        status: "completed",
        result: { n: 1 },
      });
      expect(answered.events[0]?.consumedAt).toBeInstanceOf(Date);
      await env.run();
      expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: { n: 1 } });
      const replay = env.claims.filter((unit) => unit.lease.executionId === "e1")[1];
      expect(replay?.steps[0]).toMatchObject({ status: "completed", result: '{"n":1}' });
    },
  );
});
