// A user's program in a default `npm init -y` project (CommonJS): every package is imported and
// type-checked with skipLibCheck off, then a workflow runs on SQLite, PostgreSQL and the test env.
import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { runConformance } from "@zart/conformance";
import { DurableScheduler, defineTask, type Scheduler, TaskRegistry, Worker } from "@zart/core";
import { createZartApp } from "@zart/server";
import { MemoryScheduler } from "@zart/store-memory";
import { PostgresScheduler } from "@zart/store-postgres";
import type { RedisScheduler } from "@zart/store-redis";
import { SqliteScheduler } from "@zart/store-sqlite";
import { createTestEnv } from "@zart/testing";
import * as z from "zod";

const greet = defineTask({
  name: "greet",
  input: z.object({ name: z.string() }),
  async run(ctx, { name }) {
    const greeting = await ctx.step("compose", async () => `Hello, ${name}`);
    await ctx.sleep("pause", 10);
    const reply = await ctx.waitForEvent<{ text: string }>("reply", { timeout: "30s" });
    return { greeting, reply: reply.text };
  },
});

async function runOn(label: string, scheduler: Scheduler): Promise<void> {
  await scheduler.migrate();
  const registry = new TaskRegistry().register(greet);
  const worker = new Worker({ scheduler, registry, pollInterval: "50ms" });
  await worker.start();
  const client = new DurableScheduler(scheduler, { registry });
  const id = `consumer-${randomUUID()}`;
  await client.startFor(greet, id, { name: label });
  await client.offerEvent(id, "reply", { text: "hi" });
  const result = await client.waitFor(greet, id, { timeout: "30s" });
  assert.deepEqual(result, { greeting: `Hello, ${label}`, reply: "hi" });
  await worker.stop();
  await scheduler.close();
  console.log(`${label}: ok`, result);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "zart-consumer-db-"));
  await runOn("sqlite", new SqliteScheduler({ path: join(dir, "zart.db") }));
  const url = process.env.ZART_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const schema = `consumer_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await runOn("postgres", new PostgresScheduler({ connectionString: url, schema }));

  const env = createTestEnv({ tasks: [greet] });
  const id = await env.start(greet, { name: "test env" });
  await env.advance("10ms");
  await env.offerEvent(id, "reply", { text: "hey" });
  assert.equal((await env.result(greet, id)).reply, "hey");
  await env.close();

  const app = createZartApp({ scheduler: new MemoryScheduler() });
  assert.equal((await app.request("/healthz")).status, 200);

  console.log("consumer: ok");
}

/** Type-checked only: these need a Redis server or a test runner to run. */
export type TypeCheckedOnly = [typeof runConformance, RedisScheduler];

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
