import { LeaseLostError, ManualClock, silentLogger } from "@zart/core";
import type { StepWrite } from "@zart/core/store";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { RedisScheduler } from "../src/index.js";
import { SCRIPTS } from "../src/scripts/index.js";
import { deleteKeyspace, REDIS_URL, redisAvailable, uniquePrefix } from "./redis-env.js";

/**
 * The hot-path writes (step writes, completions, failures) of one scheduler are batched into one
 * `fencedWrites` script call; each write stays fenced and answers on its own.
 */
const PREFIX = uniquePrefix("fenced-writes");
const LEASE_MS = 30_000;
const clients: Redis[] = [];
const schedulers: RedisScheduler[] = [];

beforeEach(() => (redisAvailable ? deleteKeyspace(PREFIX) : undefined));
afterEach(async () => {
  for (const scheduler of schedulers.splice(0)) await scheduler.close();
  for (const client of clients.splice(0)) client.disconnect();
});
afterAll(() => (redisAvailable ? deleteKeyspace(PREFIX) : undefined));

type Command = (...args: unknown[]) => Promise<unknown>;

/** A scheduler on its own client, and the number of writes carried by each `fencedWrites` call. */
function countingScheduler(clock: ManualClock): { scheduler: RedisScheduler; batches: number[] } {
  const client = new Redis(REDIS_URL);
  clients.push(client);
  const scheduler = new RedisScheduler({ client, prefix: PREFIX, clock, logger: silentLogger });
  schedulers.push(scheduler);
  const batches: number[] = [];
  const commands = client as unknown as Record<string, Command>;
  const send = commands[SCRIPTS.fencedWrites.name]!.bind(client);
  commands[SCRIPTS.fencedWrites.name] = (...args: unknown[]) => {
    // routing key, base, batch id, origin, then the writes: a JSON array of 9 strings per write
    batches.push((JSON.parse(args[4] as string) as string[]).length / 9);
    return send(...args);
  };
  return { scheduler, batches };
}

const step = (position: number): StepWrite => ({
  position,
  name: `s${position}`,
  kind: "step",
  status: "completed",
  result: `"${position}"`,
  attempts: 1,
});

describe.skipIf(!redisAvailable)("batched fenced writes", () => {
  it("sends concurrent writes of several executions together; a lost lease fails its write alone", async () => {
    const clock = new ManualClock();
    const { scheduler, batches } = countingScheduler(clock);
    const now = () => clock.now();
    const ids = ["e1", "e2", "e3", "e4"];
    await scheduler.createExecutions(
      ids.map((executionId) => ({ executionId, taskName: "t", payload: "1", runAt: now() })),
      now(),
    );
    const claimed = await scheduler.claim({
      workerId: "w1",
      taskNames: ["t"],
      limit: 4,
      leaseMs: LEASE_MS,
      now: now(),
    });
    const lease = (id: string) => claimed.find((work) => work.lease.executionId === id)!.lease;
    // e3 is cancelled: its lease is gone, so its write must fail and the others must not.
    await scheduler.cancelExecution("e3", now());

    const outcomes = await Promise.allSettled([
      scheduler.saveStep(lease("e1"), step(0), {}, now()),
      scheduler.saveStep(lease("e2"), step(0), { data: '"d"' }, now()),
      scheduler.saveStep(lease("e3"), step(0), {}, now()),
      scheduler.completeExecution(lease("e4"), { result: '"done"' }, {}, now()),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(LeaseLostError);
    // The first write goes at once (nothing in flight), the three made meanwhile as one batch.
    expect(batches).toEqual([1, 3]);

    const [e1, e2, e3, e4] = await Promise.all(ids.map((id) => scheduler.getExecution(id)));
    expect(e1?.steps.map((s) => s.result)).toEqual(['"0"']);
    expect(e2?.steps.map((s) => s.result)).toEqual(['"0"']);
    expect(e2?.execution.data).toBe('"d"');
    expect(e3?.steps).toEqual([]);
    expect(e3?.execution.status).toBe("cancelled");
    expect(e4?.execution).toMatchObject({ status: "completed", result: '"done"' });
  });

  it("a failure and a completion of different executions share a batch and each settles its row", async () => {
    const clock = new ManualClock();
    const { scheduler, batches } = countingScheduler(clock);
    const now = () => clock.now();
    await scheduler.createExecutions(
      ["a", "b", "c"].map((executionId) => ({ executionId, taskName: "t", payload: "1", runAt: now() })),
      now(),
    );
    const claimed = await scheduler.claim({
      workerId: "w1",
      taskNames: ["t"],
      limit: 3,
      leaseMs: LEASE_MS,
      now: now(),
    });
    const lease = (id: string) => claimed.find((work) => work.lease.executionId === id)!.lease;
    await Promise.all([
      scheduler.saveStep(lease("a"), step(0), {}, now()),
      scheduler.failExecution(lease("b"), { error: { name: "Error", message: "boom" } }, {}, now()),
      scheduler.completeExecution(lease("c"), {}, {}, now()),
    ]);
    expect(batches).toEqual([1, 2]);
    expect((await scheduler.getExecution("b"))?.execution).toMatchObject({
      status: "failed",
      error: { message: "boom" },
    });
    const c = (await scheduler.getExecution("c"))?.execution;
    expect(c?.status).toBe("completed");
    expect(c?.result).toBeUndefined();
    // A second completion of c under its spent lease is refused.
    await expect(scheduler.completeExecution(lease("c"), {}, {}, now())).rejects.toBeInstanceOf(
      LeaseLostError,
    );
  });
});
