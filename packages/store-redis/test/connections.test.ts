import { ManualClock, StoreUnavailableError, silentLogger } from "@zart/core";
import type { WakeUp } from "@zart/core/store";
import { Redis } from "ioredis";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { KeyLayout, RedisScheduler } from "../src/index.js";
import { deleteKeyspace, REDIS_URL, redisAvailable, testScheduler, uniquePrefix } from "./redis-env.js";

const PREFIX = uniquePrefix("connections");

beforeEach(() => (redisAvailable ? deleteKeyspace(PREFIX) : undefined));
afterAll(() => (redisAvailable ? deleteKeyspace(PREFIX) : undefined));

async function keysOf(prefix: string): Promise<string[]> {
  const client = new Redis(REDIS_URL);
  try {
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, found] = await client.scan(cursor, "MATCH", new KeyLayout(prefix).pattern, "COUNT", 1000);
      cursor = next;
      keys.push(...found);
    } while (cursor !== "0");
    return keys.sort();
  } finally {
    client.disconnect();
  }
}

describe.skipIf(!redisAvailable)("connections", () => {
  it("uses a client passed in without closing it, and closes only its own subscriber", async () => {
    const connectionName = uniquePrefix("client").replace(/:$/, "");
    const client = new Redis(REDIS_URL, { connectionName });
    const connections = async (): Promise<number> => {
      const list = String(await client.client("LIST"));
      return list.split("\n").filter((line) => line.includes(` name=${connectionName} `)).length;
    };
    const scheduler = new RedisScheduler({ client, prefix: PREFIX, logger: silentLogger });
    const clock = new ManualClock();
    scheduler.subscribe(() => {});
    await scheduler.createExecution(
      { executionId: "e1", taskName: "t", payload: "1", runAt: clock.now() },
      clock.now(),
    );
    await vi.waitFor(async () => expect(await connections()).toBe(2));
    await scheduler.close();
    expect(client.status).toBe("ready");
    expect(await client.ping()).toBe("PONG");
    await vi.waitFor(async () => expect(await connections()).toBe(1));
    client.disconnect();
  });

  it("pushes wake-ups to other schedulers over pub/sub, and its own once", async () => {
    const clock = new ManualClock();
    const a = testScheduler({ clock, prefix: PREFIX });
    const b = testScheduler({ clock, prefix: PREFIX });
    const other = testScheduler({ clock, prefix: uniquePrefix("elsewhere") });
    try {
      const seenByA: WakeUp[] = [];
      const seenByB: WakeUp[] = [];
      const seenElsewhere: WakeUp[] = [];
      a.subscribe((wake) => seenByA.push(wake));
      b.subscribe((wake) => seenByB.push(wake));
      other.subscribe((wake) => seenElsewhere.push(wake));
      await a.ping();
      // Give the subscribers time to subscribe (wake-ups are hints; a missed one costs latency only).
      await new Promise((resolve) => setTimeout(resolve, 200));
      const now = clock.now();
      await b.createExecution({ executionId: "e:1", taskName: "t", payload: "1", runAt: now }, now);
      await b.offerEvent({ executionId: "e:1", eventName: "go", payload: "1" }, now);
      await b.cancelExecution("e:1", now);
      const expected = [
        { reason: "created", executionId: "e:1" },
        { reason: "event", executionId: "e:1" },
        { reason: "cancelled", executionId: "e:1" },
      ];
      await vi.waitFor(() => expect(seenByA).toEqual(expected));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seenByB).toEqual(expected);
      expect(seenElsewhere).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close(), other.close()]);
    }
  });

  it("re-subscribes after its subscriber connection is killed", async () => {
    const connectionName = uniquePrefix("resub").replace(/:$/, "");
    const client = new Redis(REDIS_URL, { connectionName });
    const clock = new ManualClock();
    const listener = new RedisScheduler({ client, prefix: PREFIX, clock, logger: silentLogger });
    const sender = testScheduler({ clock, prefix: PREFIX });
    const seen: WakeUp[] = [];
    try {
      listener.subscribe((wake) => seen.push(wake));
      const subscriberIds = async (): Promise<string[]> => {
        const list = String(await client.client("LIST"));
        return list
          .split("\n")
          .filter((line) => line.includes(` name=${connectionName} `) && / sub=1 /.test(line))
          .map((line) => /\bid=(\d+)/.exec(line)?.[1] ?? "");
      };
      let killed: string[] = [];
      await vi.waitFor(async () => {
        killed = await subscriberIds();
        expect(killed).toHaveLength(1);
      });
      await client.client("KILL", "ID", killed[0]!);
      await vi.waitFor(async () => {
        const ids = await subscriberIds();
        expect(ids).toHaveLength(1);
        expect(ids[0]).not.toBe(killed[0]);
      });
      const now = clock.now();
      await sender.createExecution(
        { executionId: "after-kill", taskName: "t", payload: "1", runAt: now },
        now,
      );
      // The reconnection is announced first (workers sweep for what was missed), then push works again.
      await vi.waitFor(() =>
        expect(seen).toEqual([
          { reason: "reconnected", executionId: "" },
          { reason: "created", executionId: "after-kill" },
        ]),
      );
    } finally {
      await listener.close();
      await sender.close();
      client.disconnect();
    }
  });

  it("reports an unreachable server as StoreUnavailableError", async () => {
    const scheduler = new RedisScheduler({
      url: "redis://127.0.0.1:1",
      logger: silentLogger,
      redisOptions: { maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false },
    });
    try {
      await expect(scheduler.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(scheduler.getExecution("e1")).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(scheduler.migrate()).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    } finally {
      await scheduler.close();
    }
  });
});

describe.skipIf(!redisAvailable)("key layout", () => {
  it("puts every key under the prefix and one hash tag, and purge leaves no execution keys behind", async () => {
    const clock = new ManualClock();
    const scheduler = testScheduler({ clock, prefix: PREFIX });
    try {
      await scheduler.migrate();
      const now = clock.now();
      for (const id of ["a", "b:c", "{d}"]) {
        await scheduler.createExecution(
          { executionId: id, taskName: "task:x", payload: "1", runAt: now },
          now,
        );
        await scheduler.offerEvent(
          { executionId: id, eventName: "go", payload: "1", idempotencyKey: "k" },
          now,
        );
      }
      const work = await scheduler.claim({
        workerId: "w",
        taskNames: ["task:x"],
        limit: 3,
        leaseMs: 1_000,
        now,
      });
      for (const { lease } of work) {
        await scheduler.dispatchChildren(lease, { children: [{ position: 0, name: "c" }] }, {}, now);
      }
      const keys = await keysOf(PREFIX);
      const tag = `${PREFIX}{${PREFIX.slice(0, -1)}}:`;
      expect(keys.length).toBeGreaterThan(10);
      for (const key of keys) expect(key.startsWith(tag), key).toBe(true);

      for (const id of ["a", "b:c", "{d}"]) await scheduler.cancelExecution(id, now);
      expect(await scheduler.purge({ olderThan: clock.advance("1s") })).toBe(3);
      expect(await keysOf(PREFIX)).toEqual([`${tag}meta`]);
    } finally {
      await scheduler.close();
    }
  });

  it("defaults to the prefix zart: and the hash tag {zart}", () => {
    expect(new KeyLayout("zart:").row("x")).toBe("zart:{zart}:row:x");
    expect(() => new KeyLayout("a{b}:")).toThrow(/must not contain/);
  });
});
