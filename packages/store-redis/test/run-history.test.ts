import { ManualClock } from "@zart/core";
import type { Lease } from "@zart/core/store";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { KeyLayout, type RedisScheduler } from "../src/index.js";
import { deleteKeyspace, REDIS_URL, redisAvailable, testScheduler, uniquePrefix } from "./redis-env.js";

/**
 * What only Redis needs care for in run history (the behaviour itself is the conformance suite's
 * `run-history`): the archived run is a cjson snapshot, the key layout version moves to 2, and a
 * replaced child execution is archived by the parent's script too.
 */
const PREFIX = uniquePrefix("run-history");
const keys = new KeyLayout(PREFIX);
afterAll(() => (redisAvailable ? deleteKeyspace(PREFIX) : undefined));

/** Claims the one due unit of task `t`. */
async function claimOne(scheduler: RedisScheduler, now: Date): Promise<Lease> {
  const [work] = await scheduler.claim({ workerId: "w", taskNames: ["t"], limit: 1, leaseMs: 30_000, now });
  if (work === undefined) throw new Error("nothing to claim");
  return work.lease;
}

describe.skipIf(!redisAvailable)("run history on Redis", () => {
  it("archives a run byte for byte through cjson, and purge leaves no run keys behind", async () => {
    const clock = new ManualClock();
    const scheduler = testScheduler({ clock, prefix: PREFIX });
    const admin = new Redis(REDIS_URL);
    try {
      const now = clock.now();
      // Slashes (cjson escapes them), quotes, control characters, non-ASCII and an empty mailbox queue.
      const odd = JSON.stringify({ path: "a/b", quote: '"', tab: "\t", text: "é ✓ 🎉", nul: "\u0000" });
      await scheduler.createExecution({ executionId: "x", taskName: "t", payload: odd, runAt: now }, now);
      await scheduler.offerEvent({ executionId: "x", eventName: "note/1", payload: odd }, now);
      const lease = await claimOne(scheduler, now);
      await scheduler.saveStep(
        lease,
        { position: 0, name: "s/1", kind: "step", status: "completed", result: odd, attempts: 1 },
        { data: odd },
        now,
      );
      await scheduler.completeExecution(lease, { result: odd }, {}, now);
      const finished = await scheduler.getExecution("x");

      const later = clock.advance("1h");
      const second = await scheduler.createExecution(
        { executionId: "x", taskName: "t", payload: "2", runAt: later },
        later,
      );
      expect(second.run).toBe(2);
      expect(await scheduler.getRun("x", 1)).toEqual({
        ...finished,
        execution: { ...finished?.execution, run: 1 },
      });
      expect(await scheduler.getRun("x", 2)).toEqual(await scheduler.getExecution("x"));
      expect(await scheduler.getRun("x", 1.5)).toBeUndefined();
      expect(await scheduler.getRun("x", 3)).toBeUndefined();
      expect(await admin.hkeys(`${keys.base}runs:x`)).toEqual(["1"]);

      await scheduler.cancelExecution("x", later);
      expect(await scheduler.purge({ olderThan: clock.advance("1s") })).toBe(2);
      const left = await admin.keys(`${keys.base.replace(/[*?[\]\\]/g, "\\$&")}*run*`);
      expect(left).toEqual([]);
      expect(await scheduler.listRuns("x")).toEqual([]);
    } finally {
      admin.disconnect();
      await scheduler.close();
    }
  });

  it("archives a terminal child execution that a parent starts again as its next run", async () => {
    const clock = new ManualClock();
    const scheduler = testScheduler({ clock, prefix: PREFIX });
    try {
      const now = clock.now();
      const startChild = async (parentId: string) => {
        await scheduler.createExecution(
          { executionId: parentId, taskName: "t", payload: "1", runAt: now },
          now,
        );
        const lease = await claimOne(scheduler, now);
        const child = {
          position: 0,
          stepName: "c",
          childId: "child",
          taskName: "u",
          payload: "1",
          detached: false,
        };
        await scheduler.startChildExecution(lease, child, {}, now);
      };
      await startChild("p1");
      await scheduler.cancelExecution("child", now);
      await startChild("p2");
      const runs = await scheduler.listRuns("child");
      expect(runs.map(({ run, status }) => [run, status])).toEqual([
        [2, "pending"],
        [1, "cancelled"],
      ]);
      expect((await scheduler.getRun("child", 1))?.execution).toMatchObject({ parentId: "p1", run: 1 });
      expect((await scheduler.getExecution("child"))?.execution).toMatchObject({ parentId: "p2", run: 2 });
    } finally {
      await scheduler.close();
    }
  });

  it("records key layout 2, raises a layout-1 keyspace, and refuses a newer one", async () => {
    const prefix = uniquePrefix("layout");
    const meta = new KeyLayout(prefix).meta;
    const admin = new Redis(REDIS_URL);
    const scheduler = testScheduler({ prefix });
    try {
      await admin.hset(meta, "schemaVersion", "1");
      expect(await scheduler.migrate()).toEqual(["key layout 2"]);
      expect(await scheduler.migrate()).toEqual([]);
      expect(await admin.hget(meta, "schemaVersion")).toBe("2");
      await admin.hset(meta, "schemaVersion", "3");
      await expect(scheduler.migrate()).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
      expect(await admin.hget(meta, "schemaVersion")).toBe("3");
    } finally {
      admin.disconnect();
      await scheduler.close();
      await deleteKeyspace(prefix);
    }
  });
});
