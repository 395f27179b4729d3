import { ManualClock } from "@zart/core";
import { afterAll, describe, expect, it } from "vitest";
import { deleteKeyspace, redisAvailable, testScheduler, uniquePrefix } from "./redis-env.js";

/**
 * What only Redis needs care for: the scripts decode and re-encode step rows with Lua's cjson, which
 * rejects the `\udXXX` escape JSON.stringify gives a lone surrogate. (That every store returns JSON
 * text byte for byte is checked by the conformance suite.)
 */
const PREFIX = uniquePrefix("lua-values");
afterAll(() => (redisAvailable ? deleteKeyspace(PREFIX) : undefined));

describe.skipIf(!redisAvailable)("values through Lua", () => {
  it("stores a step name holding a lone surrogate with U+FFFD, through scripts that re-encode it", async () => {
    const clock = new ManualClock();
    const scheduler = testScheduler({ clock, prefix: PREFIX });
    try {
      const now = clock.now();
      const claim = async () => {
        const [work] = await scheduler.claim({
          workerId: "w",
          taskNames: ["t"],
          limit: 1,
          leaseMs: 30_000,
          now,
        });
        if (work === undefined) throw new Error("nothing to claim");
        return work;
      };
      await scheduler.createExecution({ executionId: "e1", taskName: "t", payload: "1", runAt: now }, now);
      const first = await claim();
      const result = JSON.stringify("x\ud800y");
      await scheduler.saveStep(
        first.lease,
        { position: 0, name: "odd \ud800 name", kind: "step", status: "completed", result, attempts: 1 },
        {},
        now,
      );
      // retryExecution decodes every step row in Lua to keep the completed ones.
      await scheduler.retryExecution(
        first.lease,
        { error: { name: "Error", message: "boom" }, runAt: now },
        {},
        now,
      );
      const second = await claim();
      expect(second.steps).toHaveLength(1);
      expect(second.steps[0]).toMatchObject({ name: "odd \ufffd name", result });
      expect((await scheduler.getExecution("e1"))?.steps[0]).toMatchObject({
        name: "odd \ufffd name",
        result,
      });
    } finally {
      await scheduler.close();
    }
  });
});
