import { LeaseLostError, ManualClock } from "@zart/core";
import type { ChildLease, ClaimedWork, Lease, StepWrite } from "@zart/core/store";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { KeyLayout, type RedisScheduler } from "../src/index.js";
import { deleteKeyspace, REDIS_URL, redisAvailable, testScheduler, uniquePrefix } from "./redis-env.js";

const PREFIX = uniquePrefix("concurrency");
const LEASE_MS = 30_000;
const open: RedisScheduler[] = [];

beforeEach(() => (redisAvailable ? deleteKeyspace(PREFIX) : undefined));
afterEach(async () => {
  for (const scheduler of open.splice(0)) await scheduler.close();
});
afterAll(() => (redisAvailable ? deleteKeyspace(PREFIX) : undefined));

/** `n` schedulers, each with its own connection, like `n` worker processes. */
function schedulers(n: number, clock: ManualClock): RedisScheduler[] {
  const list = Array.from({ length: n }, () => testScheduler({ clock, prefix: PREFIX }));
  open.push(...list);
  return list;
}

/** Every key of the keyspace with its full contents, to prove a rejected write changed nothing. */
async function snapshot(): Promise<Record<string, unknown>> {
  const client = new Redis(REDIS_URL);
  try {
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, found] = await client.scan(cursor, "MATCH", new KeyLayout(PREFIX).pattern, "COUNT", 1000);
      cursor = next;
      keys.push(...found);
    } while (cursor !== "0");
    const entries = await Promise.all(
      keys.sort().map(async (key) => {
        const type = await client.type(key);
        if (type === "hash") return [key, await client.hgetall(key)];
        if (type === "list") return [key, await client.lrange(key, 0, -1)];
        if (type === "set") return [key, (await client.smembers(key)).sort()];
        if (type === "zset") return [key, await client.zrange(key, 0, -1, "WITHSCORES")];
        return [key, await client.get(key)];
      }),
    );
    return Object.fromEntries(entries);
  } finally {
    client.disconnect();
  }
}

describe.skipIf(!redisAvailable)("claims under concurrency", () => {
  it("hands each due unit to exactly one of 12 claimers on separate connections", async () => {
    const clock = new ManualClock();
    const [creator, ...claimers] = schedulers(13, clock);
    const now = clock.now();
    for (let i = 0; i < 60; i++) {
      await creator!.createExecution({ executionId: `e${i}`, taskName: "t", payload: "1", runAt: now }, now);
    }
    // Some parents dispatch children, so executions and children are claimed side by side.
    const parents = await creator!.claim({
      workerId: "p",
      taskNames: ["t"],
      limit: 10,
      leaseMs: LEASE_MS,
      now,
    });
    for (const { lease } of parents) {
      const children = [0, 1, 2].map((position) => ({ position, name: `c${position}` }));
      await creator!.dispatchChildren(lease, { children }, {}, now);
    }
    const claimed: ClaimedWork[] = [];
    await Promise.all(
      claimers.map(async (scheduler, i) => {
        for (;;) {
          const work = await scheduler.claim({
            workerId: `w${i}`,
            taskNames: ["t"],
            limit: 3,
            leaseMs: LEASE_MS,
            now,
          });
          if (work.length === 0) return;
          claimed.push(...work);
        }
      }),
    );
    const units = claimed.map(
      (w) => `${w.lease.executionId}/${w.kind === "child" ? w.lease.childPosition : "-"}`,
    );
    expect(units).toHaveLength(50 + 30);
    expect(new Set(units).size).toBe(units.length);
    expect(new Set(claimed.map((w) => w.lease.token)).size).toBe(units.length);
  });
});

describe.skipIf(!redisAvailable)("fenced writes", () => {
  const step = (position: number): StepWrite => ({
    position,
    name: `s${position}`,
    kind: "step",
    status: "completed",
    result: "1",
    attempts: 1,
  });
  const error = { name: "Error", message: "boom" };

  it("rejects every write of a lost lease (parked, expired and taken over) and leaves every key untouched", async () => {
    const clock = new ManualClock();
    const [a, b] = schedulers(2, clock);
    const now = () => clock.now();
    await a!.createExecution({ executionId: "e1", taskName: "t", payload: "1", runAt: now() }, now());
    const [old] = await a!.claim({
      workerId: "w1",
      taskNames: ["t"],
      limit: 1,
      leaseMs: LEASE_MS,
      now: now(),
    });
    await a!.saveStep(old!.lease, step(0), {}, now());
    await a!.dispatchChildren(old!.lease, { children: [{ position: 1, name: "c" }] }, {}, now());
    const [child] = await b!.claim({
      workerId: "w2",
      taskNames: ["t"],
      limit: 1,
      leaseMs: LEASE_MS,
      now: now(),
    });
    expect(child?.kind).toBe("child");
    clock.advance(LEASE_MS);
    const [takeover] = await b!.claim({
      workerId: "w2",
      taskNames: ["t"],
      limit: 1,
      leaseMs: LEASE_MS,
      now: now(),
    });
    expect(takeover?.kind === "child" && takeover.lease.childPosition).toBe(1);
    await b!.offerEvent({ executionId: "e1", eventName: "go", payload: "1" }, now());

    const before = await snapshot();
    const lease: Lease = old!.lease;
    const stale = child!.lease as ChildLease;
    const attempts: [string, () => Promise<unknown>][] = [
      ["renewLease", () => a!.renewLease(lease, LEASE_MS, now())],
      ["saveStep", () => a!.saveStep(lease, step(2), { data: '"x"' }, now())],
      ["suspend", () => a!.suspend(lease, { step: step(2), wakeAt: now(), reason: "sleep" }, {}, now())],
      [
        "awaitEvent",
        () =>
          a!.awaitEvent(
            lease,
            { position: 2, stepName: "w", eventName: "go", timeoutError: error },
            { data: '"x"' },
            now(),
          ),
      ],
      [
        "dispatchChildren",
        () => a!.dispatchChildren(lease, { children: [{ position: 3, name: "d" }] }, {}, now()),
      ],
      ["retryExecution", () => a!.retryExecution(lease, { error, runAt: now() }, {}, now())],
      ["completeExecution", () => a!.completeExecution(lease, { result: "1" }, {}, now())],
      ["failExecution", () => a!.failExecution(lease, { error }, {}, now())],
      ["releaseLease", () => a!.releaseLease(lease, now())],
      [
        "settleChild (stale child lease)",
        () => a!.settleChild(stale, { status: "completed", attempts: 1 }, now()),
      ],
      ["renewLease (stale child lease)", () => a!.renewLease(stale, LEASE_MS, now())],
      ["releaseLease (stale child lease)", () => a!.releaseLease(stale, now())],
      ["saveStep (child lease on the execution)", () => a!.saveStep(takeover!.lease, step(2), {}, now())],
    ];
    for (const [name, attempt] of attempts) {
      const outcome = await attempt().then(
        () => "accepted",
        (e: unknown) => e,
      );
      expect(outcome, name).toBeInstanceOf(LeaseLostError);
      expect(outcome, name).toMatchObject({ code: "LEASE_LOST" });
    }
    expect(await snapshot()).toEqual(before);
  });
});
