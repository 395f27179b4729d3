import {
  type ClaimedWork,
  ExecutionAlreadyExistsError,
  ExecutionNotFoundError,
  ExecutionTerminalError,
  LeaseLostError,
  ManualClock,
  type SerializedError,
  type StepWrite,
  type WakeUp,
} from "@zart/core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { PostgresScheduler } from "../src/index.js";
import { type TestDatabase, truncate, useTestDatabase } from "./support/test-database.js";

/**
 * The contract, verb by verb, on PostgreSQL (the same cases as the memory store's unit tests, so
 * both stores are held to one reading of the contract; the conformance suite covers the engine).
 */

const LEASE_MS = 30_000;
const BOOM: SerializedError = { name: "Error", message: "boom" };
const TIMEOUT: SerializedError = { name: "EventTimeoutError", message: "no event", code: "EVENT_TIMEOUT" };

let db: TestDatabase;
const open: PostgresScheduler[] = [];

beforeAll(async () => {
  db = await useTestDatabase("verbs", inject("zartPostgresUrl"));
  const scheduler = new PostgresScheduler({ connectionString: db.url, schema: db.schema });
  await scheduler.migrate();
  await scheduler.close();
});

beforeEach(async () => {
  await truncate(db.admin, db.schema);
});

afterEach(async () => {
  for (const scheduler of open.splice(0)) await scheduler.close();
});

afterAll(async () => {
  await db?.dispose();
});

function newScheduler(clock: ManualClock): PostgresScheduler {
  const scheduler = new PostgresScheduler({
    connectionString: db.url,
    schema: db.schema,
    clock,
    poolSize: 4,
  });
  open.push(scheduler);
  return scheduler;
}

function setup() {
  const clock = new ManualClock();
  const scheduler = newScheduler(clock);
  const now = () => clock.now();
  const start = (executionId: string, runAt = now()) =>
    scheduler.createExecution({ executionId, taskName: "task", payload: '{"n":1}', runAt }, now());
  const claim = (workerId = "w1", limit = 10) =>
    scheduler.claim({ workerId, limit, leaseMs: LEASE_MS, now: now() });
  /** Claims exactly one unit and returns it. */
  const claimOne = async (workerId = "w1"): Promise<ClaimedWork> => {
    const work = await claim(workerId, 1);
    expect(work).toHaveLength(1);
    return work[0]!;
  };
  const step = (position: number, status: StepWrite["status"] = "completed"): StepWrite => ({
    position,
    name: `s${position}`,
    kind: "step",
    status,
    result: status === "completed" ? String(position) : undefined,
    attempts: 1,
  });
  const details = async (id: string) => (await scheduler.getExecution(id))!;
  return { clock, scheduler, now, start, claim, claimOne, step, details };
}

/** Collects wake-ups delivered to this scheduler's subscribers. */
function recordWakeUps(scheduler: PostgresScheduler): WakeUp[] {
  const wakes: WakeUp[] = [];
  scheduler.subscribe((wake) => wakes.push(wake));
  return wakes;
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

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

describe("parallel children", () => {
  const children = [0, 1, 2].map((position) => ({ position, name: `child-${position}` }));

  it("parks the parent and wakes it exactly once, when the last child settles", async () => {
    const { scheduler, start, claimOne, claim, now, details } = setup();
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
      await scheduler.settleChild(work.lease, { status: "completed", result: String(i), attempts: 1 }, now());
      const status = (await details("p")).execution.status;
      expect(status).toBe(i < 2 ? "waiting" : "pending");
    }
    await flush();
    expect(wakes.filter((w) => w.reason === "child")).toEqual([{ reason: "child", executionId: "p" }]);

    const replay = await claimOne();
    const outcome = await scheduler.dispatchChildren(replay.lease, { children }, {}, now());
    expect(outcome.suspended).toBe(false);
    if (!outcome.suspended) expect(outcome.children.map((c) => c.result)).toEqual(["0", "1", "2"]);
    expect((await details("p")).execution).toMatchObject({ status: "running" });
  });

  it("lets another worker take over an expired child and fences the first one", async () => {
    const { clock, scheduler, start, claimOne, now, details } = setup();
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
  });

  it("cancels unsettled children when the parent fails or is cancelled", async () => {
    const { scheduler, start, claim, now, details } = setup();
    await start("a");
    await start("b");
    for (const { lease } of await claim("w", 2))
      await scheduler.dispatchChildren(lease, { children }, {}, now());
    const running = await claim("w", 1);
    await scheduler.cancelExecution("a", now());
    expect((await details("a")).steps.map((s) => s.status)).toEqual(["cancelled", "cancelled", "cancelled"]);
    const [work] = running;
    if (work?.kind !== "child") throw new Error("expected a child");
    await expect(
      scheduler.settleChild(work.lease, { status: "completed", attempts: 1 }, now()),
    ).rejects.toThrow(LeaseLostError);
    expect((await claim()).every((w) => w.lease.executionId === "b")).toBe(true);
  });
});

describe("terminal verbs", () => {
  it("retryExecution deletes every step that is not completed and schedules the next attempt", async () => {
    const { clock, scheduler, start, claimOne, claim, step, now, details } = setup();
    const wakes = recordWakeUps(scheduler);
    await start("e1");
    const { lease } = await claimOne();
    await scheduler.saveStep(lease, step(0), {}, now());
    await scheduler.saveStep(lease, step(1, "failed"), {}, now());
    const runAt = new Date(now().getTime() + 5_000);
    await scheduler.retryExecution(lease, { error: BOOM, runAt }, { data: '{"k":1}' }, now());

    const { execution, steps } = await details("e1");
    expect(execution).toMatchObject({ status: "pending", attempt: 1, error: BOOM, runAt, data: '{"k":1}' });
    expect(execution.leaseOwner).toBeUndefined();
    expect(steps.map((s) => s.position)).toEqual([0]);
    await expect(scheduler.saveStep(lease, step(2), {}, now())).rejects.toBeInstanceOf(LeaseLostError);
    expect(await claim()).toEqual([]);
    clock.advance("5s");
    expect((await claimOne()).execution.attempt).toBe(1);
    await flush();
    expect(wakes.map((w) => w.reason)).toEqual(["created", "retry"]);
  });

  it("cancelExecution returns false once terminal and throws for an unknown id", async () => {
    const { scheduler, start, now, details } = setup();
    await start("e1");
    expect(await scheduler.cancelExecution("e1", now())).toBe(true);
    expect((await details("e1")).execution).toMatchObject({ status: "cancelled", completedAt: now() });
    expect(await scheduler.cancelExecution("e1", now())).toBe(false);
    await expect(scheduler.cancelExecution("nope", now())).rejects.toBeInstanceOf(ExecutionNotFoundError);
  });

  it("suspend parks the execution until its wake time", async () => {
    const { clock, scheduler, start, claimOne, claim, now, details } = setup();
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

describe("reads", () => {
  it("lists newest first, then by id, filtered and paginated", async () => {
    const { clock, scheduler, start } = setup();
    await start("b");
    await start("a");
    clock.advance("1s");
    await start("c");
    await scheduler.createExecution(
      { executionId: "d", taskName: "other", payload: "1", runAt: clock.now() },
      clock.now(),
    );
    const ids = async (filter: { status?: "pending"; taskName?: string; limit?: number; offset?: number }) =>
      (await scheduler.listExecutions({ limit: 10, offset: 0, ...filter })).map(
        (d) => d.execution.executionId,
      );
    expect(await ids({})).toEqual(["c", "d", "a", "b"]);
    expect(await ids({ limit: 2, offset: 1 })).toEqual(["d", "a"]);
    expect(await ids({ taskName: "task", status: "pending" })).toEqual(["c", "a", "b"]);
  });

  it("purges terminal executions completed before the cutoff, by status", async () => {
    const { clock, scheduler, start, claimOne, now } = setup();
    await start("done");
    const { lease } = await claimOne();
    await start("cancelled");
    await start("live");
    await scheduler.completeExecution(lease, { result: "1" }, {}, now());
    await scheduler.cancelExecution("cancelled", now());
    const cutoff = clock.advance("1s");
    expect(await scheduler.purge({ olderThan: cutoff, statuses: ["failed"] })).toBe(0);
    expect(await scheduler.purge({ olderThan: new Date(cutoff.getTime() - 2_000) })).toBe(0);
    expect(await scheduler.purge({ olderThan: cutoff, statuses: ["completed"] })).toBe(1);
    expect(await scheduler.purge({ olderThan: cutoff })).toBe(1);
    expect(await scheduler.getExecution("done")).toBeUndefined();
    expect(await scheduler.getExecution("live")).toBeDefined();
  });
});

describe("stored bytes", () => {
  it("returns JSON text exactly as written: escapes, emoji, big numbers, null", async () => {
    const { scheduler, claimOne, now, details } = setup();
    const texts = [
      '{"s":"\\ud800 lone surrogate, escaped","e":"\\u0000","emoji":"\u{1F680}","n":12345678901234567890}',
      "null",
      '""',
      "[]",
      '{"b":1,"a":2}',
    ];
    await scheduler.createExecution(
      { executionId: "e\u{1F680}", taskName: "task", payload: texts[0]!, runAt: now() },
      now(),
    );
    const { lease } = await claimOne();
    for (const [position, result] of texts.entries()) {
      await scheduler.saveStep(
        lease,
        { position, name: `s${position}`, kind: "step", status: "completed", result, attempts: 1 },
        { data: texts[4]! },
        now(),
      );
    }
    await scheduler.offerEvent({ executionId: "e\u{1F680}", eventName: "go", payload: texts[0]! }, now());
    const read = await details("e\u{1F680}");
    expect(read.execution.payload).toBe(texts[0]);
    expect(read.execution.data).toBe(texts[4]);
    expect(read.steps.map((step) => step.result)).toEqual(texts);
    expect(read.events[0]?.payload).toBe(texts[0]);
  });
});
