// The same environment under node:test (run by ../node-test-runner.test.ts in a child process).
import { strict as assert } from "node:assert";
import { afterEach, test } from "node:test";
import { createTestEnv, type TestEnv } from "../../src/index.js";
import { orderTask } from "../fixtures/order-task.js";

let env: TestEnv;
afterEach(() => env.close());

test("an order completes after a skipped day and a review event", async () => {
  env = createTestEnv({ tasks: [orderTask] });
  const charge = env.mockStep("charge-card", () => "ch_node");
  const id = await env.start(orderTask, { id: "n-1", amount: 3 });
  await env.advance("1d");
  await env.offerEvent(id, "review", { approved: true });
  const result = await env.result(orderTask, id);
  assert.equal(result.charge, "ch_node");
  assert.equal(result.receipt, "real receipt n-1");
  assert.equal(charge.calls, 1);
  await env.assertHistory(id, ["charge-card", "pick", "pack", "cooling-off", "review", "send-receipt"]);
});

test("assertHistory failures are node:test failures", async () => {
  env = createTestEnv({ tasks: [orderTask] });
  env.mockStep("charge-card", () => "ok");
  const id = await env.start(orderTask, { id: "n-2", amount: 3 });
  await assert.rejects(env.assertHistory(id, []), assert.AssertionError);
});
