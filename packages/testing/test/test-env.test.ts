import { AssertionError } from "node:assert";
import { defineTask, ExecutionFailedError, RetryConfig } from "@zart/core";
import { afterEach, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "../src/index.js";
import { orderTask } from "./fixtures/order-task.js";

let env: TestEnv;
afterEach(() => env.close());

describe("createTestEnv", () => {
  it("runs a workflow through sleeps and events with mocked steps, without waiting", async () => {
    env = createTestEnv({ tasks: [orderTask] });
    const charge = env.mockStep("charge-card", () => ({ chargeId: "ch_1" }));
    env.mockStep("pack", () => "packed by the mock");
    env.mockStep("send-receipt", () => "mock receipt");

    const id = await env.start(orderTask, { id: "o-1", amount: 5 });
    expect((await env.status(id)).status).toBe("waiting");
    await expect(env.result(orderTask, id)).rejects.toThrow(/still waiting at sleep "cooling-off"/);

    await env.advance("24h");
    expect(await env.offerEvent(id, "review", { approved: true })).toBe("delivered");

    expect(await env.result(orderTask, id)).toEqual({
      charge: { chargeId: "ch_1" },
      pick: "picked o-1",
      pack: "packed by the mock",
      approved: true,
      receipt: "mock receipt",
    });
    expect(charge.calls).toBe(1); // replays answer from history
    await env.assertHistory(id, [
      { name: "charge-card", result: { chargeId: "ch_1" } },
      "pick",
      "pack",
      { name: "cooling-off", kind: "sleep" },
      { name: "review", kind: "event", status: "completed" },
      { name: "send-receipt", status: "completed" },
    ]);
  });

  it("advance stops at each due time on the way: a sleep then an event timeout in one call", async () => {
    env = createTestEnv({ tasks: [orderTask] });
    env.mockStep("charge-card", () => "ok");
    const id = await env.start(orderTask, { id: "o-2", amount: 1 });
    await env.advance("25h"); // 24 h sleep, then the 1 h review timeout from the sleep's end
    expect((await env.result(orderTask, id)).approved).toBe(false);
    expect(env.clock.now().toISOString()).toBe("2030-01-02T01:00:00.000Z");
  });

  it("advance runs nothing that is not due yet", async () => {
    env = createTestEnv({ tasks: [orderTask] });
    env.mockStep("charge-card", () => "ok");
    const id = await env.start(orderTask, { id: "o-3", amount: 1 });
    await env.advance("23h");
    await env.assertHistory(id, ["charge-card", "pick", "pack", { name: "cooling-off", status: "waiting" }]);
  });

  it("an unmocked step runs for real, and its failure fails the execution", async () => {
    env = createTestEnv({ tasks: [orderTask] });
    const id = await env.start(orderTask, { id: "o-4", amount: 1 });
    await expect(env.result(orderTask, id)).rejects.toBeInstanceOf(ExecutionFailedError);
    await env.assertHistory(id, [{ name: "charge-card", status: "failed" }]);
  });

  it("retry backoffs are skipped by advance and counted in the history", async () => {
    let attempts = 0;
    const flaky = defineTask({
      name: "flaky",
      run: (ctx) =>
        ctx.stepWithRetry("call", RetryConfig.fixed(3, "10m"), () => {
          if (++attempts < 3) throw new Error("try again");
          return attempts;
        }),
    });
    env = createTestEnv({ tasks: [flaky] });
    const id = await env.start(flaky, undefined);
    await env.advance("20m");
    expect(await env.result(flaky, id)).toBe(3);
    await env.assertHistory(id, [{ name: "call", status: "completed", attempts: 3 }]);
  });

  it("assertHistory fails with an AssertionError naming the execution", async () => {
    env = createTestEnv({ tasks: [orderTask] });
    env.mockStep("charge-card", () => "ok");
    const id = await env.start(orderTask, { id: "o-5", amount: 1 });
    const failure = env.assertHistory(id, ["charge-card"]);
    await expect(failure).rejects.toBeInstanceOf(AssertionError);
    await expect(failure).rejects.toThrow(/History of execution "order-1".*\n[\s\S]*cooling-off/);
  });

  it("start validates input like startFor and persists nothing on bad input", async () => {
    const typed = defineTask({
      name: "typed",
      input: {
        "~standard": {
          validate: (v) => (typeof v === "number" ? { value: v } : { issues: [{ message: "a number" }] }),
        },
      },
      run: async (_ctx, n: number) => n * 2,
    });
    env = createTestEnv({ tasks: [typed] });
    await expect(env.start(typed, "x" as unknown as number, { id: "t-1" })).rejects.toThrow(/a number/);
    expect(await env.client.listExecutions()).toEqual([]);
    expect(await env.result(typed, await env.start(typed, 21))).toBe(42);
  });
});
