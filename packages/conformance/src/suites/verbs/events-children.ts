import { ExecutionNotFoundError, ExecutionTerminalError, LeaseLostError } from "@zart/core";
import { describe, expect } from "vitest";
import type { SuiteTest } from "../../define-suite.js";
import type { Harness } from "../../harness.js";
import { BOOM, eventWait, flush, ifPush, LEASE_MS, recordWakeUps, TIMEOUT, verbEnv } from "./support.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const EVENT_CHILD_VERB_TESTS = [
  "offerWakesSuspendedWait",
  "leavesPastDeadlineToWorker",
  "leavesPastWakeTimeToWorker",
  "keepsEarlyOffersFifo",
  "timesOutAtDeadline",
  "pastDeadlineTakesOnlyEarlier",
  "treatsDuplicateKey",
  "wakesParentOnLastSettle",
  "handsChildEarlierSteps",
  "takesOverExpiredChild",
  "cancelsUnsettledChildren",
] as const;

/** The mailbox verbs (offerEvent, awaitEvent) and parallel children (dispatchChildren, settleChild). */
export function eventAndChildVerbs(
  h: Harness,
  test: SuiteTest<(typeof EVENT_CHILD_VERB_TESTS)[number]>,
): void {
  describe("events", () => {
    test(
      "offerWakesSuspendedWait",
      "suspends, then an offer wakes the wait: due now, and the wait receives the event once",
      async () => {
        const { clock, scheduler, start, claimOne, now, details } = await verbEnv(h);
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

        clock.advance("1s");
        expect(
          await scheduler.offerEvent({ executionId: "e1", eventName: "go", payload: '"yes"' }, now()),
        ).toBe("delivered");
        const { execution, events } = await details("e1");
        expect(execution).toMatchObject({ status: "pending", runAt: now() });
        expect(execution.waitReason).toBeUndefined();
        expect(execution.waitEvent).toBeUndefined();
        expect(events).toEqual([expect.objectContaining({ eventName: "go", payload: '"yes"' })]);
        await flush();
        expect(wakes.filter((w) => w.reason === "event")).toEqual(
          ifPush(scheduler, [{ reason: "event", executionId: "e1" }]),
        );

        // The replay: the wait is decided in the history exactly when the store answers on offer;
        // otherwise its awaitEvent receives the event.
        const second = await claimOne();
        const answered = second.steps[0]?.status === "completed";
        expect(answered).toBe(scheduler.capabilities.answersOnOffer);
        if (!answered) {
          expect(await scheduler.awaitEvent(second.lease, eventWait("go", deadline), {}, now())).toEqual({
            outcome: "received",
            payload: '"yes"',
          });
        }
        await scheduler.completeExecution(second.lease, { result: '"yes"' }, {}, now());
        const done = await details("e1");
        expect(done.steps[0]).toMatchObject({ status: "completed", result: '"yes"' });
        expect(done.events[0]?.consumedAt).toBeInstanceOf(Date);
      },
    );

    test(
      "leavesPastDeadlineToWorker",
      "leaves a wait whose deadline has passed to the worker: the offer only wakes it",
      async () => {
        const { clock, scheduler, start, claimOne, now, details } = await verbEnv(h);
        await start("e1");
        const { lease } = await claimOne();
        const deadline = new Date(now().getTime() + 1_000);
        await scheduler.awaitEvent(lease, eventWait("go", deadline), {}, now());
        const parked = (await details("e1")).steps;

        clock.advance("2s");
        expect(
          await scheduler.offerEvent({ executionId: "e1", eventName: "go", payload: "late" }, now()),
        ).toBe("delivered");
        const { execution, steps, events } = await details("e1");
        expect(execution).toMatchObject({ status: "pending", runAt: now() });
        expect(steps).toEqual(parked);
        expect(steps[0]).toMatchObject({ status: "waiting", wakeAt: deadline });
        expect(events).toHaveLength(1);
        expect(events[0]?.consumedAt).toBeUndefined();
        expect((await claimOne()).steps).toEqual(parked);
      },
    );

    test(
      "leavesPastWakeTimeToWorker",
      "leaves the wait to the worker once the execution's wake time (task timeout) has passed",
      async () => {
        const { clock, scheduler, start, claimOne, now, details } = await verbEnv(h);
        await start("e1");
        const { lease } = await claimOne();
        const deadline = new Date(now().getTime() + 60_000);
        const timeoutAt = new Date(now().getTime() + 1_000);
        await scheduler.awaitEvent(
          lease,
          { ...eventWait("go", deadline), wakeAt: timeoutAt },
          { timeoutAt },
          now(),
        );
        expect((await details("e1")).execution).toMatchObject({ status: "waiting", runAt: timeoutAt });

        clock.advance("1s");
        await scheduler.offerEvent({ executionId: "e1", eventName: "go", payload: "1" }, now());
        const { execution, steps, events } = await details("e1");
        expect(execution).toMatchObject({ status: "pending", runAt: now() });
        expect(steps[0]).toMatchObject({ status: "waiting", wakeAt: deadline });
        expect(events[0]?.consumedAt).toBeUndefined();
      },
    );

    test(
      "keepsEarlyOffersFifo",
      "keeps an offer made before the wait, and consumes offers of a name FIFO",
      async () => {
        const { scheduler, start, claimOne, now } = await verbEnv(h);
        await start("e1");
        for (const payload of ["1", "2"]) {
          await scheduler.offerEvent({ executionId: "e1", eventName: "go", payload }, now());
        }
        await scheduler.offerEvent({ executionId: "e1", eventName: "other", payload: "9" }, now());
        const { lease } = await claimOne();
        const first = await scheduler.awaitEvent(lease, eventWait("go"), {}, now());
        const second = await scheduler.awaitEvent(lease, { ...eventWait("go"), position: 1 }, {}, now());
        expect([first, second]).toEqual([
          { outcome: "received", payload: "1" },
          { outcome: "received", payload: "2" },
        ]);
      },
    );

    test(
      "timesOutAtDeadline",
      "times out at the deadline and leaves a late offer in the mailbox",
      async () => {
        const { clock, scheduler, start, claimOne, now, details } = await verbEnv(h);
        await start("e1");
        const first = await claimOne();
        const deadline = new Date(now().getTime() + 1_000);
        await scheduler.awaitEvent(first.lease, eventWait("go", deadline), {}, now());
        clock.advance("1s");
        const second = await claimOne();
        expect(await scheduler.awaitEvent(second.lease, eventWait("go", deadline), {}, now())).toEqual({
          outcome: "timeout",
        });
        await scheduler.offerEvent({ executionId: "e1", eventName: "go", payload: "late" }, now());
        const { steps, events } = await details("e1");
        expect(steps[0]).toMatchObject({ status: "failed", error: TIMEOUT });
        expect(events).toHaveLength(1);
        expect(events[0]?.consumedAt).toBeUndefined();
      },
    );

    test(
      "pastDeadlineTakesOnlyEarlier",
      "past the deadline, takes only an event offered at or before it: a later one stays queued",
      async () => {
        const { clock, scheduler, start, claimOne, now, details } = await verbEnv(h);
        await start("e1");
        const { lease } = await claimOne();
        const deadline = new Date(now().getTime() + 1_000);
        const offer = (payload: string) =>
          scheduler.offerEvent({ executionId: "e1", eventName: "go", payload }, now());
        await offer("early");
        clock.advance("2s");
        await offer("late");
        const atPosition = (position: number, until?: Date) => ({ ...eventWait("go", until), position });
        expect(await scheduler.awaitEvent(lease, atPosition(0, deadline), {}, now())).toEqual({
          outcome: "received",
          payload: "early",
        });
        expect(await scheduler.awaitEvent(lease, atPosition(1, deadline), {}, now())).toEqual({
          outcome: "timeout",
        });
        const { steps, events } = await details("e1");
        expect(steps[1]).toMatchObject({ status: "failed", error: TIMEOUT });
        expect(events.map((e) => [e.payload, e.consumedAt])).toEqual([
          ["early", now()],
          ["late", undefined],
        ]);
        expect(await scheduler.awaitEvent(lease, atPosition(2), {}, now())).toEqual({
          outcome: "received",
          payload: "late",
        });
      },
    );

    test(
      "treatsDuplicateKey",
      "treats a re-sent idempotency key as a duplicate, even once terminal",
      async () => {
        const { scheduler, start, claimOne, now, details } = await verbEnv(h);
        await start("e1");
        const offer = { executionId: "e1", eventName: "go", payload: "1", idempotencyKey: "k" };
        expect(await scheduler.offerEvent(offer, now())).toBe("delivered");
        expect(await scheduler.offerEvent({ ...offer, payload: "2" }, now())).toBe("duplicate");
        expect((await details("e1")).events).toHaveLength(1);

        const { lease } = await claimOne();
        await scheduler.completeExecution(lease, {}, {}, now());
        expect(await scheduler.offerEvent(offer, now())).toBe("duplicate");
        await expect(scheduler.offerEvent({ ...offer, idempotencyKey: "k2" }, now())).rejects.toBeInstanceOf(
          ExecutionTerminalError,
        );
        await expect(scheduler.offerEvent({ ...offer, executionId: "nope" }, now())).rejects.toBeInstanceOf(
          ExecutionNotFoundError,
        );
      },
    );
  });

  describe("parallel children", () => {
    const children = [0, 1, 2].map((position) => ({ position, name: `child-${position}` }));

    test(
      "wakesParentOnLastSettle",
      "parks the parent and wakes it exactly once, when the last child settles",
      async () => {
        const { scheduler, start, claimOne, claim, now, details } = await verbEnv(h);
        const wakes = recordWakeUps(scheduler);
        await start("p");
        const parent = await claimOne();
        expect(await scheduler.dispatchChildren(parent.lease, { children }, {}, now())).toEqual({
          suspended: true,
        });
        expect((await details("p")).execution).toMatchObject({ status: "waiting", waitReason: "children" });

        const claimed = await claim("w", 10);
        expect(claimed.map((w) => w.kind)).toEqual(["child", "child", "child"]);
        expect(new Set(claimed.map((w) => w.lease.token)).size).toBe(3);
        for (const [i, work] of claimed.entries()) {
          if (work.kind !== "child") throw new Error("expected a child");
          expect(work.child).toMatchObject({ kind: "parallel", status: "running" });
          await scheduler.settleChild(
            work.lease,
            { status: "completed", result: String(i), attempts: 1 },
            now(),
          );
          const status = (await details("p")).execution.status;
          expect(status).toBe(i < 2 ? "waiting" : "pending");
        }
        await flush();
        expect(wakes.filter((w) => w.reason === "child")).toEqual(
          ifPush(scheduler, [{ reason: "child", executionId: "p" }]),
        );

        const replay = await claimOne();
        const outcome = await scheduler.dispatchChildren(replay.lease, { children }, {}, now());
        expect(outcome.suspended).toBe(false);
        if (!outcome.suspended) expect(outcome.children.map((c) => c.result)).toEqual(["0", "1", "2"]);
        expect((await details("p")).execution).toMatchObject({ status: "running" });
      },
    );

    test(
      "handsChildEarlierSteps",
      "hands a claimed child only the steps before its position; the parent gets them all",
      async () => {
        const { clock, scheduler, start, claimOne, claim, now, step } = await verbEnv(h);
        const claimChildren = async (workerId: string) =>
          (await claim(workerId, 10)).map((work) => {
            if (work.kind !== "child") throw new Error("expected a child");
            return work;
          });
        await start("p");
        const parent = await claimOne();
        await scheduler.saveStep(parent.lease, step(0), {}, now());
        const fanOut = [1, 2, 3, 4, 5].map((position) => ({ position, name: `child-${position}` }));
        await scheduler.dispatchChildren(parent.lease, { children: fanOut }, {}, now());
        const names = ["s0", ...fanOut.map((c) => c.name)];

        const claimed = await claimChildren("w1");
        expect(claimed.map((work) => work.child.position).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
        for (const { child, steps } of claimed) {
          expect(child).toMatchObject({ name: names[child.position], kind: "parallel", status: "running" });
          expect(steps.map((s) => [s.position, s.name])).toEqual(
            names.slice(0, child.position).map((name, i) => [i, name]),
          );
          expect(steps[0]).toMatchObject({ kind: "step", status: "completed", result: "0" });
        }
        for (const { child, lease } of claimed.filter((work) => work.child.position <= 2)) {
          const outcome = { status: "completed" as const, result: `"r${child.position}"`, attempts: 1 };
          await scheduler.settleChild(lease, outcome, now());
        }

        // Taken over once its lease expired, the child at 3 sees its settled siblings' outcomes.
        clock.advance(LEASE_MS);
        const retaken = await claimChildren("w2");
        const third = retaken.find((work) => work.child.position === 3);
        expect(third?.steps.map((s) => [s.name, s.result])).toEqual([
          ["s0", "0"],
          ["child-1", '"r1"'],
          ["child-2", '"r2"'],
        ]);
        for (const { lease } of retaken) {
          await scheduler.settleChild(lease, { status: "completed", attempts: 1 }, now());
        }
        const replay = await claimOne();
        expect(replay.kind).toBe("execution");
        expect(replay.steps.map((s) => s.name)).toEqual(names);
      },
    );

    test(
      "takesOverExpiredChild",
      "lets another worker take over an expired child and fences the first one",
      async () => {
        const { clock, scheduler, start, claimOne, now, details } = await verbEnv(h);
        await start("p");
        const parent = await claimOne();
        await scheduler.dispatchChildren(parent.lease, { children: children.slice(0, 1) }, {}, now());
        const first = await claimOne("w1");
        clock.advance(LEASE_MS);
        const second = await claimOne("w2");
        expect(second.kind).toBe("child");
        if (first.kind !== "child" || second.kind !== "child") throw new Error("expected children");
        await expect(
          scheduler.settleChild(first.lease, { status: "completed", result: "1", attempts: 1 }, now()),
        ).rejects.toBeInstanceOf(LeaseLostError);
        await scheduler.settleChild(second.lease, { status: "failed", error: BOOM, attempts: 2 }, now());
        expect((await details("p")).steps[0]).toMatchObject({ status: "failed", error: BOOM, attempts: 2 });
      },
    );

    test(
      "cancelsUnsettledChildren",
      "cancels unsettled children when the parent fails or is cancelled",
      async () => {
        const { scheduler, start, claim, now, details } = await verbEnv(h);
        await start("a");
        await start("b");
        for (const { lease } of await claim("w", 2)) {
          await scheduler.dispatchChildren(lease, { children }, {}, now());
        }
        const running = await claim("w", 1);
        await scheduler.cancelExecution("a", now());
        expect((await details("a")).steps.map((s) => s.status)).toEqual([
          "cancelled",
          "cancelled",
          "cancelled",
        ]);
        const [work] = running;
        if (work?.kind !== "child") throw new Error("expected a child");
        await expect(
          scheduler.settleChild(work.lease, { status: "completed", attempts: 1 }, now()),
        ).rejects.toThrow(LeaseLostError);
        expect((await claim()).every((w) => w.lease.executionId === "b")).toBe(true);
      },
    );
  });
}
