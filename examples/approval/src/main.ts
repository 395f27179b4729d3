/**
 * The seeds' approval workflow in one process: start, park on the manager's decision, deliver the
 * event two seconds later, print the outcome. `pnpm --filter @zart/example-approval start`
 * (in memory) or `… start -- --db ./approval.db` (SQLite file).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { DurableScheduler, type Scheduler, TaskRegistry, Worker } from "@zart/core";
import { MemoryScheduler } from "@zart/store-memory";
import { approvalTask } from "./approval-task.js";
import { decideAndPrint, startRequest } from "./demo-script.js";

async function openStore(): Promise<Scheduler> {
  const dbFlag = process.argv.indexOf("--db");
  if (dbFlag === -1) return new MemoryScheduler();
  const { SqliteScheduler } = await import("@zart/store-sqlite");
  const store = new SqliteScheduler({ path: process.argv[dbFlag + 1] ?? "./approval.db" });
  await store.migrate();
  return store;
}

const scheduler = await openStore();
const registry = new TaskRegistry().register(approvalTask);
const worker = new Worker({ scheduler, registry, pollInterval: "200ms" });
await worker.start();
const durable = new DurableScheduler(scheduler, { registry });

console.log("=== Zart Approval Workflow Example ===\n");
const executionId = `approval-demo-${Date.now()}`;
await startRequest(durable, executionId);

while ((await durable.status(executionId)).status !== "waiting") await sleep(50);
console.log("Execution is waiting for manager approval...");
console.log("(Simulating manager delivering the event after 2 seconds)\n");
await sleep(2_000);

await decideAndPrint(durable, executionId);

await worker.stop();
await scheduler.close();
