import { strict as assert } from "node:assert";
import { test } from "node:test";
import { createTestEnv } from "@zart/testing";
import { welcomeTask } from "../src/tasks.js";

test("a new user gets an account and, after the sleep, one welcome email", async () => {
  const env = createTestEnv({ tasks: [welcomeTask] });
  const email = env.mockStep("send-welcome-email", () => ({ to: "ada@example.com", subject: "mocked" }));

  const id = await env.start(welcomeTask, { email: "ada@example.com", name: "Ada" });
  await env.assertHistory(id, ["create-account", { name: "let-them-look-around", status: "waiting" }]);

  await env.advance("1s"); // time skipping: no real waiting
  assert.deepEqual(await env.result(welcomeTask, id), {
    accountId: "acct-ada@example.com",
    emailed: "ada@example.com",
  });
  assert.equal(email.calls, 1);
  await env.close();
});
