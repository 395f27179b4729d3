import type { DueCount } from "@zart/core/store";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { eventWait, LEASE_MS, TIMEOUT, verbEnv } from "./verbs/support.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const OBSERVABILITY_TESTS = [
  "keepsStartersTraceContext",
  "keepsOfferersTraceContext",
  "countsDueWorkByTask",
  "countDueUnderRacingClaims",
] as const;

/** Opaque to stores: what the engine persists is a propagator's carrier as JSON text. */
const STARTER = '{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}';
const OFFERER =
  '{"traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","tracestate":"a=1"}';
const LATER = '{"traceparent":"00-5bf92f3577b34da6a3ce929d0e0e4736-10f067aa0ba902b7-01"}';

/** Sorted by task name, for comparing `countDue` answers (their order is unspecified). */
const byTask = (counts: DueCount[]) => [...counts].sort((a, b) => a.taskName.localeCompare(b.taskName));

/**
 * What observability reads from a store: the trace contexts persisted with executions, events and
 * the waits they answer (so a run's spans join its starter's trace on any worker), and `countDue`,
 * the backlog per task.
 */
export const observabilitySuite = defineSuite("observability", OBSERVABILITY_TESTS, (h, test) => {
  describe("trace context", () => {
    test(
      "keepsStartersTraceContext",
      "an execution keeps its starter's trace context: read back, claimed, inherited by a child execution",
      async () => {
        const { scheduler, now, claim, details } = await verbEnv(h);
        const created = await scheduler.createExecution(
          { executionId: "t1", taskName: "task", payload: "1", runAt: now(), traceContext: STARTER },
          now(),
        );
        expect(created.traceContext).toBe(STARTER);
        await scheduler.createExecution(
          { executionId: "t2", taskName: "task", payload: "1", runAt: now() },
          now(),
        );
        expect((await details("t1")).execution.traceContext).toBe(STARTER);
        expect((await details("t2")).execution.traceContext).toBeUndefined();

        const work = await claim();
        const claimed = work.find((unit) => unit.execution.executionId === "t1")!;
        expect(claimed.execution.traceContext).toBe(STARTER);
        expect(work.find((unit) => unit !== claimed)?.execution.traceContext).toBeUndefined();
        const input = { position: 0, stepName: "kid", childId: "t1/kid", taskName: "task", payload: "2" };
        await scheduler.startChildExecution(
          claimed.lease,
          { ...input, detached: false, traceContext: STARTER },
          {},
          now(),
        );
        expect((await details("t1/kid")).execution.traceContext).toBe(STARTER);
      },
    );

    test(
      "keepsOfferersTraceContext",
      "an event keeps its offerer's trace context, and so does the wait it answers, on either path",
      async () => {
        const { clock, scheduler, now, start, claimOne, details } = await verbEnv(h);
        // Parked first: the offer answers the wait (answersOnOffer) or the replayed awaitEvent does.
        await start("o1");
        const first = await claimOne();
        await scheduler.awaitEvent(first.lease, eventWait("go"), {}, now());
        clock.advance("1s");
        await scheduler.offerEvent(
          { executionId: "o1", eventName: "go", payload: "1", traceContext: OFFERER },
          now(),
        );
        expect((await details("o1")).events).toEqual([
          expect.objectContaining({ eventName: "go", traceContext: OFFERER }),
        ]);
        const second = await claimOne();
        if (second.steps[0]?.status !== "completed") {
          await scheduler.awaitEvent(second.lease, eventWait("go"), {}, now());
        }
        expect((await details("o1")).steps[0]).toMatchObject({ status: "completed", traceContext: OFFERER });
        await scheduler.releaseLease(second.lease, now());
        const replay = await claimOne();
        expect(replay.steps[0]).toMatchObject({ kind: "event", status: "completed", traceContext: OFFERER });
        await scheduler.completeExecution(replay.lease, {}, {}, now());

        // Offered first: the wait takes it from the mailbox, one name or any of several.
        await start("o2");
        await scheduler.offerEvent(
          { executionId: "o2", eventName: "go", payload: "2", traceContext: LATER },
          now(),
        );
        await scheduler.offerEvent(
          { executionId: "o2", eventName: "b", payload: "3", traceContext: OFFERER },
          now(),
        );
        const live = await claimOne();
        expect(await scheduler.awaitEvent(live.lease, eventWait("go"), {}, now())).toMatchObject({
          outcome: "received",
        });
        const any = { position: 1, stepName: "any", eventNames: ["a", "b"], timeoutError: TIMEOUT };
        expect(await scheduler.awaitAnyEvent(live.lease, any, {}, now())).toMatchObject({
          outcome: "received",
          eventName: "b",
        });
        const { steps, events } = await details("o2");
        expect(steps.map((step) => step.traceContext)).toEqual([LATER, OFFERER]);
        expect(events.map((event) => event.traceContext)).toEqual([LATER, OFFERER]);
      },
    );
  });

  describe("countDue", () => {
    test(
      "countsDueWorkByTask",
      "counts, per task, the pending or waiting executions whose wake time passed, with the oldest",
      async () => {
        const { clock, scheduler, now, details } = await verbEnv(h);
        const t0 = now();
        const create = (executionId: string, taskName: string, runAt: Date) =>
          scheduler.createExecution({ executionId, taskName, payload: "1", runAt }, now());
        const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
        expect(await scheduler.countDue(now())).toEqual([]);

        await create("a1", "a", at(0));
        await create("a2", "a", at(5));
        await create("a3", "a", at(60)); // not due yet
        await create("b1", "b", at(2));
        await create("b2", "b", at(3)); // claimed below
        await create("c1", "c", at(1)); // paused below
        await create("d1", "d", at(1)); // cancelled below
        await create("e1", "e", at(1)); // parks waiting on a sleep due at 8s
        await scheduler.pauseExecution("c1", now());
        await scheduler.cancelExecution("d1", now());
        clock.advance("4s");
        const claimed = await scheduler.claim({
          workerId: "w1",
          taskNames: ["b", "e"],
          limit: 10,
          leaseMs: LEASE_MS,
          now: now(),
        });
        const e1 = claimed.find((work) => work.execution.executionId === "e1")!;
        const b1 = claimed.find((work) => work.execution.executionId === "b1")!;
        await scheduler.suspend(e1.lease, { wakeAt: at(8), reason: "sleep" }, {}, now());
        await scheduler.retryExecution(b1.lease, { error: TIMEOUT, runAt: at(1) }, {}, now());

        clock.advance("6s"); // t0 + 10s
        expect(byTask(await scheduler.countDue(now()))).toEqual([
          { taskName: "a", due: 2, oldestDueAt: at(0) },
          { taskName: "b", due: 1, oldestDueAt: at(1) },
          { taskName: "e", due: 1, oldestDueAt: at(8) },
        ]);
        // `now` is the caller's: earlier, less is due.
        expect(byTask(await scheduler.countDue(at(4)))).toEqual([
          { taskName: "a", due: 1, oldestDueAt: at(0) },
          { taskName: "b", due: 1, oldestDueAt: at(1) },
        ]);
        expect((await details("b2")).execution.status).toBe("running");
      },
    );

    test(
      "countDueUnderRacingClaims",
      "stays consistent while racing workers claim the backlog: never more than before, then none",
      async () => {
        const { scheduler, now } = await verbEnv(h);
        const total = 24;
        for (let i = 0; i < total; i++) {
          await scheduler.createExecution(
            { executionId: `r${i}`, taskName: "task", payload: "1", runAt: now() },
            now(),
          );
        }
        const claimers = Array.from({ length: 8 }, async (_, worker) => {
          let claimed = 0;
          for (;;) {
            const work = await scheduler.claim({
              workerId: `w${worker}`,
              taskNames: ["task"],
              limit: 1,
              leaseMs: LEASE_MS,
              now: now(),
            });
            if (work.length === 0) return claimed;
            claimed += work.length;
          }
        });
        const seen: number[] = [];
        const reader = (async () => {
          for (let i = 0; i < 12; i++) {
            const counts = await scheduler.countDue(now());
            expect(counts.length).toBeLessThanOrEqual(1);
            seen.push(counts[0]?.due ?? 0);
          }
        })();
        const claimed = await Promise.all(claimers);
        await reader;
        expect(claimed.reduce((sum, n) => sum + n, 0)).toBe(total);
        // Successive consistent reads while work is only taken: never growing, within bounds.
        for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeLessThanOrEqual(seen[i - 1]!);
        expect(seen.every((due) => due >= 0 && due <= total)).toBe(true);
        expect(await scheduler.countDue(now())).toEqual([]);
      },
    );
  });
});
