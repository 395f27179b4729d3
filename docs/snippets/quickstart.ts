import { DurableScheduler, TaskRegistry, Worker } from "@zart/core";
import { SqliteScheduler } from "@zart/store-sqlite";
import { approvalTask } from "./approval-task.js";

// #region worker
const scheduler = new SqliteScheduler({ path: "./zart.db" });
await scheduler.migrate(); // creates or upgrades the schema; idempotent
const registry = new TaskRegistry().register(approvalTask);
const worker = new Worker({ scheduler, registry, concurrency: 16 });
// resolves once the worker polls; it runs in the background
await worker.start();
// #endregion worker

// #region client
const durable = new DurableScheduler(scheduler, { registry });
await durable.startFor(approvalTask, "approval-demo-1", {
  requesterName: "Bob",
  resource: "staging",
  reason: "test",
});
await durable.offerEvent("approval-demo-1", "manager-approval", {
  approved: true,
  reviewer: "Carol",
  comment: "ok",
});
const result = await durable.waitFor(approvalTask, "approval-demo-1", {
  timeout: "60s",
});
console.log(result); // { decision: "approved", reviewer: "Carol" }
// #endregion client

// #region shutdown
// graceful: in-flight executions reach a checkpoint and give their lease back
await worker.stop();
await scheduler.close();
// #endregion shutdown
