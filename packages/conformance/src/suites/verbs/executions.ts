import { ExecutionAlreadyExistsError, ExecutionNotFoundError, LeaseLostError } from "@zart/core";
import type { StepWrite } from "@zart/core/store";
import { describe, expect } from "vitest";
import type { SuiteTest } from "../../define-suite.js";
import type { Harness } from "../../harness.js";
import { BOOM, flush, ifPush, LEASE_MS, recordWakeUps, TIMEOUT, verbEnv } from "./support.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const EXECUTION_VERB_TESTS = [
  "createsPendingExecution",
  "replacesTerminalExecution",
  "claimsOldestDueFirst",
  "marksClaimedRunning",
  "neverClaimsEventWait",
  "stillAcceptsExpiredLease",
  "rejectsHolderAfterCancel",
  "retryExecutionDeletesUnfinished",
  "cancelExecutionOnTerminal",
  "suspendParksUntilWake",
] as const;

/**
 * The execution verbs one contract rule per test: createExecution, claim, fencing, and the verbs
 * that end or park an attempt. (Exactly-once claims among concurrent claimers and the fencing of
 * every write after a takeover are in the `concurrency` and `leases` suites.)
 */
export function executionVerbs(h: Harness, test: SuiteTest<(typeof EXECUTION_VERB_TESTS)[number]>): void {
  describe("createExecution", () => {
    test(
      "createsPendingExecution",
      "creates a pending execution and rejects a second start while it is not terminal",
      async () => {
        const { start, details } = await verbEnv(h);
        const record = await start("e1");
        expect(record).toMatchObject({
          executionId: "e1",
          status: "pending",
          attempt: 0,
          payload: '{"n":1}',
        });
        await expect(start("e1")).rejects.toBeInstanceOf(ExecutionAlreadyExistsError);
        expect((await details("e1")).execution).toEqual(record);
      },
    );

    test(
      "replacesTerminalExecution",
      "replaces a terminal execution, deleting its steps and events",
      async () => {
        const { scheduler, start, claimOne, step, now, details } = await verbEnv(h);
        await start("e1");
        await scheduler.offerEvent({ executionId: "e1", eventName: "go", payload: "1" }, now());
        const { lease } = await claimOne();
        await scheduler.saveStep(lease, step(0), {}, now());
        await scheduler.completeExecution(lease, { result: "42" }, {}, now());

        await start("e1");
        const { execution, steps, events } = await details("e1");
        expect(execution.status).toBe("pending");
        expect(execution.result).toBeUndefined();
        expect(steps).toEqual([]);
        expect(events).toEqual([]);
      },
    );
  });

  describe("claim", () => {
    test("claimsOldestDueFirst", "takes the oldest runAt first and skips work that is not due", async () => {
      const { clock, start, claim, now } = await verbEnv(h);
      const t0 = now();
      await start("later", new Date(t0.getTime() + 2_000));
      await start("sooner", new Date(t0.getTime() + 1_000));
      await start("future", new Date(t0.getTime() + 60_000));
      expect(await claim()).toEqual([]);
      clock.advance("5s");
      expect((await claim()).map((w) => w.lease.executionId)).toEqual(["sooner", "later"]);
    });

    test(
      "marksClaimedRunning",
      "marks the execution running with a lease, and sets startedAt only on the first claim",
      async () => {
        const { clock, scheduler, start, claimOne, now } = await verbEnv(h);
        await start("e1");
        const first = await claimOne("w1");
        expect(first.execution).toMatchObject({ status: "running", leaseOwner: "w1", startedAt: now() });
        expect(first.execution.leaseExpiresAt).toEqual(new Date(now().getTime() + LEASE_MS));
        const startedAt = first.execution.startedAt;
        clock.advance("1s");
        await scheduler.releaseLease(first.lease, now());
        const second = await claimOne("w2");
        expect(second.execution.startedAt).toEqual(startedAt);
        expect(second.lease.token).not.toBe(first.lease.token);
      },
    );

    test("neverClaimsEventWait", "never claims an execution waiting only for an event", async () => {
      const { clock, scheduler, start, claimOne, claim, now } = await verbEnv(h);
      await start("e1");
      const { lease } = await claimOne();
      const outcome = await scheduler.awaitEvent(
        lease,
        { position: 0, stepName: "wait", eventName: "go", timeoutError: TIMEOUT },
        {},
        now(),
      );
      expect(outcome).toEqual({ outcome: "suspended" });
      clock.advance("365d");
      expect(await claim()).toEqual([]);
    });
  });

  describe("fencing", () => {
    test(
      "stillAcceptsExpiredLease",
      "still accepts an expired lease that nobody took over, and renewing extends it",
      async () => {
        const { clock, scheduler, start, claimOne, step, now, details } = await verbEnv(h);
        await start("e1");
        const { lease } = await claimOne();
        clock.advance(LEASE_MS + 1);
        await scheduler.renewLease(lease, LEASE_MS, now());
        await scheduler.saveStep(lease, step(0), {}, now());
        expect((await details("e1")).execution.leaseExpiresAt).toEqual(new Date(now().getTime() + LEASE_MS));
      },
    );

    test("rejectsHolderAfterCancel", "rejects the holder after a cancel or a release", async () => {
      const { scheduler, start, claimOne, step, now } = await verbEnv(h);
      await start("e1");
      await start("e2");
      const a = await claimOne();
      const b = await claimOne();
      expect(await scheduler.cancelExecution(a.lease.executionId, now())).toBe(true);
      await scheduler.releaseLease(b.lease, now());
      for (const { lease } of [a, b]) {
        await expect(scheduler.saveStep(lease, step(0), {}, now())).rejects.toBeInstanceOf(LeaseLostError);
      }
    });
  });

  describe("terminal verbs", () => {
    test(
      "retryExecutionDeletesUnfinished",
      "retryExecution deletes every step that is not completed and schedules the next attempt",
      async () => {
        const { clock, scheduler, start, claimOne, claim, step, now, details } = await verbEnv(h);
        const wakes = recordWakeUps(scheduler);
        await start("e1");
        const { lease } = await claimOne();
        await scheduler.saveStep(lease, step(0), {}, now());
        await scheduler.saveStep(lease, step(1, "failed"), {}, now());
        const runAt = new Date(now().getTime() + 5_000);
        await scheduler.retryExecution(lease, { error: BOOM, runAt }, { data: '{"k":1}' }, now());

        const { execution, steps } = await details("e1");
        expect(execution).toMatchObject({
          status: "pending",
          attempt: 1,
          error: BOOM,
          runAt,
          data: '{"k":1}',
        });
        expect(execution.leaseOwner).toBeUndefined();
        expect(steps.map((s) => s.position)).toEqual([0]);
        await expect(scheduler.saveStep(lease, step(2), {}, now())).rejects.toBeInstanceOf(LeaseLostError);
        expect(await claim()).toEqual([]);
        clock.advance("5s");
        expect((await claimOne()).execution.attempt).toBe(1);
        await flush();
        expect(wakes.map((w) => w.reason)).toEqual(ifPush(scheduler, ["created", "retry"]));
      },
    );

    test(
      "cancelExecutionOnTerminal",
      "cancelExecution returns false once terminal and throws for an unknown id",
      async () => {
        const { scheduler, start, now, details } = await verbEnv(h);
        await start("e1");
        expect(await scheduler.cancelExecution("e1", now())).toBe(true);
        expect((await details("e1")).execution).toMatchObject({ status: "cancelled", completedAt: now() });
        expect(await scheduler.cancelExecution("e1", now())).toBe(false);
        await expect(scheduler.cancelExecution("nope", now())).rejects.toBeInstanceOf(ExecutionNotFoundError);
      },
    );

    test("suspendParksUntilWake", "suspend parks the execution until its wake time", async () => {
      const { clock, scheduler, start, claimOne, claim, now, details } = await verbEnv(h);
      await start("e1");
      const { lease } = await claimOne();
      const wakeAt = new Date(now().getTime() + 86_400_000);
      const sleep: StepWrite = {
        position: 0,
        name: "nap",
        kind: "sleep",
        status: "waiting",
        attempts: 0,
        wakeAt,
      };
      await scheduler.suspend(lease, { step: sleep, wakeAt, reason: "sleep" }, {}, now());
      expect((await details("e1")).execution).toMatchObject({
        status: "waiting",
        waitReason: "sleep",
        runAt: wakeAt,
      });
      expect(await claim()).toEqual([]);
      clock.advance("24h");
      expect((await claimOne()).steps[0]).toMatchObject({ kind: "sleep", wakeAt });
    });
  });
}
