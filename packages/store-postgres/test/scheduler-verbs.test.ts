import {
  ExecutionAlreadyExistsError,
  ExecutionNotFoundError,
  ExecutionTerminalError,
  LeaseLostError,
} from "@zart/core";
import { describe, expect, it } from "vitest";
import { LEASE_MS, TIMEOUT, useVerbTests } from "./support/verb-tests.js";

/**
 * The contract verb by verb on PostgreSQL — executions, claims, fencing, events — with the same
 * cases as the memory store's unit tests, so both stores are held to one reading of the contract.
 */

const setup = useVerbTests("verbs");

describe("createExecution", () => {
  it("creates a pending execution and rejects a second start while it is not terminal", async () => {
    const { start, details } = setup();
    const record = await start("e1");
    expect(record).toMatchObject({ executionId: "e1", status: "pending", attempt: 0, payload: '{"n":1}' });
    await expect(start("e1")).rejects.toBeInstanceOf(ExecutionAlreadyExistsError);
    expect((await details("e1")).execution).toEqual(record);
  });

  it("replaces a terminal execution, deleting its steps and events", async () => {
    const { scheduler, start, claimOne, step, now, details } = setup();
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
  });
});

describe("claim", () => {
  it("claims each due execution exactly once among concurrent claimers", async () => {
    const { start, claim } = setup();
    for (let i = 0; i < 5; i++) await start(`e${i}`);
    const batches = await Promise.all(Array.from({ length: 10 }, (_, i) => claim(`w${i}`, 1)));
    const ids = batches.flat().map((work) => work.lease.executionId);
    expect(ids.sort()).toEqual(["e0", "e1", "e2", "e3", "e4"]);
    expect(await claim()).toEqual([]);
  });

  it("takes the oldest runAt first and skips work that is not due", async () => {
    const { clock, start, claim, now } = setup();
    const t0 = now();
    await start("later", new Date(t0.getTime() + 2_000));
    await start("sooner", new Date(t0.getTime() + 1_000));
    await start("future", new Date(t0.getTime() + 60_000));
    expect(await claim()).toEqual([]);
    clock.advance("5s");
    expect((await claim()).map((w) => w.lease.executionId)).toEqual(["sooner", "later"]);
  });

  it("marks the execution running with a lease, and sets startedAt only on the first claim", async () => {
    const { clock, scheduler, start, claimOne, now } = setup();
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
  });

  it("never claims an execution waiting only for an event", async () => {
    const { clock, scheduler, start, claimOne, claim, now } = setup();
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
  it("rejects the old holder after a takeover, changing nothing", async () => {
    const { clock, scheduler, start, claimOne, claim, step, now, details } = setup();
    await start("e1");
    const old = await claimOne("w1");
    await scheduler.saveStep(old.lease, step(0), {}, now());

    clock.advance(LEASE_MS);
    const fresh = await claimOne("w2");
    expect(fresh.steps.map((s) => s.position)).toEqual([0]);

    await expect(scheduler.saveStep(old.lease, step(1), { data: '"x"' }, now())).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    await expect(scheduler.renewLease(old.lease, LEASE_MS, now())).rejects.toBeInstanceOf(LeaseLostError);
    await expect(scheduler.completeExecution(old.lease, {}, {}, now())).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    const after = await details("e1");
    expect(after.steps).toHaveLength(1);
    expect(after.execution).toMatchObject({ status: "running", leaseOwner: "w2" });
    expect(after.execution.data).toBeUndefined();

    await scheduler.saveStep(fresh.lease, step(1), {}, now());
    expect(await claim()).toEqual([]);
  });

  it("still accepts an expired lease that nobody took over, and renewing extends it", async () => {
    const { clock, scheduler, start, claimOne, step, now, details } = setup();
    await start("e1");
    const { lease } = await claimOne();
    clock.advance(LEASE_MS + 1);
    await scheduler.renewLease(lease, LEASE_MS, now());
    await scheduler.saveStep(lease, step(0), {}, now());
    expect((await details("e1")).execution.leaseExpiresAt).toEqual(new Date(now().getTime() + LEASE_MS));
  });

  it("rejects the holder after a cancel or a release", async () => {
    const { scheduler, start, claimOne, step, now } = setup();
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

describe("events", () => {
  const wait = (eventName: string, deadline?: Date) => ({
    position: 0,
    stepName: "wait",
    eventName,
    deadline,
    wakeAt: deadline,
    timeoutError: TIMEOUT,
  });

  it("suspends, then an offer makes the execution due now and the replayed wait receives it", async () => {
    const { clock, scheduler, start, claimOne, now, details } = setup();
    await start("e1");
    const first = await claimOne();
    const deadline = new Date(now().getTime() + 60_000);
    expect(await scheduler.awaitEvent(first.lease, wait("go", deadline), {}, now())).toEqual({
      outcome: "suspended",
    });
    expect((await details("e1")).execution).toMatchObject({
      status: "waiting",
      waitReason: "event",
      waitEvent: "go",
      runAt: deadline,
    });

    clock.advance("1s");
    expect(await scheduler.offerEvent({ executionId: "e1", eventName: "go", payload: '"yes"' }, now())).toBe(
      "delivered",
    );
    const woken = (await details("e1")).execution;
    expect(woken).toMatchObject({ status: "pending", runAt: now() });
    expect(woken.waitReason).toBeUndefined();
    expect(woken.waitEvent).toBeUndefined();

    const second = await claimOne();
    expect(second.steps[0]).toMatchObject({ status: "waiting", kind: "event", wakeAt: deadline });
    expect(await scheduler.awaitEvent(second.lease, wait("go", deadline), {}, now())).toEqual({
      outcome: "received",
      payload: '"yes"',
    });
    const { steps, events } = await details("e1");
    expect(steps[0]).toMatchObject({ status: "completed", result: '"yes"' });
    expect(events[0]?.consumedAt).toEqual(now());
  });

  it("keeps an offer made before the wait, and consumes offers of a name FIFO", async () => {
    const { scheduler, start, claimOne, now } = setup();
    await start("e1");
    for (const payload of ["1", "2"]) {
      await scheduler.offerEvent({ executionId: "e1", eventName: "go", payload }, now());
    }
    await scheduler.offerEvent({ executionId: "e1", eventName: "other", payload: "9" }, now());
    const { lease } = await claimOne();
    const first = await scheduler.awaitEvent(lease, wait("go"), {}, now());
    const second = await scheduler.awaitEvent(lease, { ...wait("go"), position: 1 }, {}, now());
    expect([first, second]).toEqual([
      { outcome: "received", payload: "1" },
      { outcome: "received", payload: "2" },
    ]);
  });

  it("times out at the deadline and leaves a late offer in the mailbox", async () => {
    const { clock, scheduler, start, claimOne, now, details } = setup();
    await start("e1");
    const first = await claimOne();
    const deadline = new Date(now().getTime() + 1_000);
    await scheduler.awaitEvent(first.lease, wait("go", deadline), {}, now());
    clock.advance("1s");
    const second = await claimOne();
    expect(await scheduler.awaitEvent(second.lease, wait("go", deadline), {}, now())).toEqual({
      outcome: "timeout",
    });
    await scheduler.offerEvent({ executionId: "e1", eventName: "go", payload: "late" }, now());
    const { steps, events } = await details("e1");
    expect(steps[0]).toMatchObject({ status: "failed", error: TIMEOUT });
    expect(events).toHaveLength(1);
    expect(events[0]?.consumedAt).toBeUndefined();
  });

  it("treats a re-sent idempotency key as a duplicate, even once terminal", async () => {
    const { scheduler, start, claimOne, now, details } = setup();
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
  });
});
