import { ManualClock, type Scheduler, silentLogger } from "@zart/core";
import type { ClaimedWork, SerializedError } from "@zart/core/store";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { RedisScheduler } from "../src/index.js";
import { SCRIPTS } from "../src/scripts/index.js";
import { deleteKeyspace, REDIS_URL, redisAvailable, uniquePrefix } from "./redis-env.js";

/**
 * ioredis re-sends a command whose reply was lost when the connection drops
 * (`autoResendUnfulfilledCommands`, on by default), so a script can run twice for one call. These
 * tests deliver every script twice and check that the second delivery changes nothing and answers
 * as the first one did (claims excepted: a repeated claim leases other units, which come back when
 * their lease expires).
 */
const PREFIX = uniquePrefix("redelivery");
const LEASE_MS = 30_000;

/** Claims the one due unit of task "t" at `now`. */
async function claimOne(scheduler: Scheduler, now: Date): Promise<ClaimedWork | undefined> {
  const [work] = await scheduler.claim({ workerId: "w", taskNames: ["t"], limit: 1, leaseMs: LEASE_MS, now });
  return work;
}
const BOOM: SerializedError = { name: "Error", message: "boom" };
const clients: Redis[] = [];

beforeEach(() => (redisAvailable ? deleteKeyspace(PREFIX) : undefined));
afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});
afterAll(() => (redisAvailable ? deleteKeyspace(PREFIX) : undefined));

type Command = (...args: unknown[]) => Promise<unknown>;

/** A scheduler whose every script call (but claim) reaches Redis twice; the caller sees the second answer. */
function doubledScheduler(clock: ManualClock): RedisScheduler {
  const client = new Redis(REDIS_URL);
  clients.push(client);
  const scheduler = new RedisScheduler({ client, prefix: PREFIX, clock, logger: silentLogger });
  const commands = client as unknown as Record<string, Command>;
  for (const script of Object.values(SCRIPTS)) {
    if (script === SCRIPTS.claim) continue;
    const once = commands[script.name]!.bind(client);
    commands[script.name] = async (...args: unknown[]) => {
      await once(...args);
      return once(...args);
    };
  }
  return scheduler;
}

describe.skipIf(!redisAvailable)("repeated delivery of a script", () => {
  it("creates, offers and cancels once, answering as the first delivery did", async () => {
    const clock = new ManualClock();
    const scheduler = doubledScheduler(clock);
    const now = clock.now();
    const created = await scheduler.createExecution(
      { executionId: "e1", taskName: "t", payload: "1", runAt: now },
      now,
    );
    expect(created.status).toBe("pending");
    expect(await scheduler.offerEvent({ executionId: "e1", eventName: "go", payload: "1" }, now)).toBe(
      "delivered",
    );
    expect(
      await scheduler.offerEvent(
        { executionId: "e1", eventName: "go", payload: "2", idempotencyKey: "k" },
        now,
      ),
    ).toBe("delivered");
    expect((await scheduler.getExecution("e1"))?.events.map((e) => e.payload)).toEqual(["1", "2"]);
    expect(await scheduler.cancelExecution("e1", now)).toBe(true);
    await scheduler.close();
  });

  it("counts a debounced start once, creating or updating its holder", async () => {
    const clock = new ManualClock();
    const scheduler = doubledScheduler(clock);
    const now = clock.now();
    const debounce = (executionId: string, payload: string) =>
      scheduler.debounceExecution(
        { execution: { executionId, taskName: "t", payload, runAt: now }, key: "k" },
        now,
      );
    expect(await debounce("d1", "1")).toMatchObject({ starts: 1, execution: { executionId: "d1" } });
    expect(await debounce("d2", "2")).toMatchObject({
      starts: 2,
      execution: { executionId: "d1", payload: "2" },
    });
    expect(await scheduler.getExecution("d2")).toBeUndefined();
    await scheduler.close();
  });

  it("consumes one event per wait and repeats every fenced write harmlessly", async () => {
    const clock = new ManualClock();
    const scheduler = doubledScheduler(clock);
    const now = () => clock.now();
    const claim = async () => {
      const work = await claimOne(scheduler, now());
      if (work === undefined) throw new Error("nothing to claim");
      return work;
    };
    await scheduler.createExecution({ executionId: "e1", taskName: "t", payload: "1", runAt: now() }, now());
    for (const payload of ["1", "2", "3"]) {
      await scheduler.offerEvent({ executionId: "e1", eventName: "go", payload }, now());
    }
    let { lease } = await claim();
    const wait = (position: number) => ({
      position,
      stepName: `go#${position}`,
      eventName: "go",
      timeoutError: BOOM,
    });
    expect(await scheduler.awaitEvent(lease, wait(0), {}, now())).toEqual({
      outcome: "received",
      payload: "1",
    });
    expect(await scheduler.awaitEvent(lease, wait(1), {}, now())).toEqual({
      outcome: "received",
      payload: "2",
    });
    await scheduler.saveStep(
      lease,
      { position: 2, name: "s", kind: "step", status: "completed", result: "7", attempts: 1 },
      {},
      now(),
    );
    expect(await scheduler.awaitEvent(lease, { ...wait(3), eventName: "other" }, {}, now())).toEqual({
      outcome: "suspended",
    });
    await scheduler.offerEvent({ executionId: "e1", eventName: "other", payload: "x" }, now());
    ({ lease } = await claim());
    expect(
      await scheduler.dispatchChildren(lease, { children: [{ position: 4, name: "c" }] }, {}, now()),
    ).toEqual({
      suspended: true,
    });
    const child = await claim();
    if (child.kind !== "child") throw new Error("expected the child");
    await scheduler.releaseLease(child.lease, now());
    const again = await claim();
    if (again.kind !== "child") throw new Error("expected the child");
    await scheduler.settleChild(again.lease, { status: "completed", result: "1", attempts: 1 }, now());
    ({ lease } = await claim());
    await scheduler.suspend(lease, { wakeAt: now(), reason: "sleep" }, {}, now());
    ({ lease } = await claim());
    await scheduler.releaseLease(lease, now());
    ({ lease } = await claim());
    await scheduler.retryExecution(lease, { error: BOOM, runAt: now() }, {}, now());
    ({ lease } = await claim());
    await scheduler.completeExecution(lease, { result: "9" }, {}, now());

    const details = await scheduler.getExecution("e1");
    expect(details?.execution).toMatchObject({ status: "completed", result: "9", attempt: 1 });
    expect(details?.events.map((e) => [e.payload, e.consumedAt !== undefined])).toEqual([
      ["1", true],
      ["2", true],
      ["3", false],
      ["x", true],
    ]);
    expect(details?.steps.map((s) => [s.name, s.status, s.result])).toEqual([
      ["go#0", "completed", "1"],
      ["go#1", "completed", "2"],
      ["s", "completed", "7"],
      ["go#3", "completed", "x"],
      ["c", "completed", "1"],
    ]);
    await scheduler.close();
  });

  it("answers a re-sent wait that parked with suspended, even once an offer answered the wait", async () => {
    const clock = new ManualClock();
    const client = new Redis(REDIS_URL);
    clients.push(client);
    const scheduler = new RedisScheduler({ client, prefix: PREFIX, clock, logger: silentLogger });
    const commands = client as unknown as Record<string, Command>;
    const send = commands[SCRIPTS.awaitEvent.name]!.bind(client);
    let sent: unknown[] = [];
    commands[SCRIPTS.awaitEvent.name] = (...args: unknown[]) => {
      sent = args;
      return send(...args);
    };
    const now = clock.now();
    await scheduler.createExecution({ executionId: "e1", taskName: "t", payload: "1", runAt: now }, now);
    const work = await claimOne(scheduler, now);
    const wait = { position: 0, stepName: "go", eventName: "go", timeoutError: BOOM };
    expect(await scheduler.awaitEvent(work!.lease, wait, {}, now)).toEqual({ outcome: "suspended" });
    await scheduler.offerEvent({ executionId: "e1", eventName: "go", payload: "1" }, now);
    // The offer answered the wait; the late copy of the parking call must not claim it received.
    expect(await send(...sent)).toEqual(["suspended"]);
    const details = await scheduler.getExecution("e1");
    expect(details?.execution).toMatchObject({ status: "pending" });
    expect(details?.steps[0]).toMatchObject({ status: "completed", result: "1" });
    expect(details?.events[0]?.consumedAt).toEqual(now);
    await scheduler.close();
  });

  it("fails an execution once", async () => {
    const clock = new ManualClock();
    const scheduler = doubledScheduler(clock);
    const now = clock.now();
    await scheduler.createExecution({ executionId: "e1", taskName: "t", payload: "1", runAt: now }, now);
    const work = await claimOne(scheduler, now);
    await scheduler.failExecution(work!.lease, { error: BOOM }, {}, now);
    expect((await scheduler.getExecution("e1"))?.execution).toMatchObject({ status: "failed", error: BOOM });
    await scheduler.close();
  });
});
