/**
 * A worker process for the durability demo: runs the approval task from a SQLite file until killed.
 * Usage: worker-process.ts <db-path> <label>
 */
import { TaskRegistry, Worker } from "@zart/core";
import { SqliteScheduler } from "@zart/store-sqlite";
import { approvalTask } from "./approval-task.js";

const [dbPath = "./approval-demo.db", label = "worker"] = process.argv.slice(2);
const scheduler = new SqliteScheduler({ path: dbPath });
await scheduler.migrate();
const worker = new Worker({
  scheduler,
  registry: new TaskRegistry().register(approvalTask),
  pollInterval: "100ms",
  leaseDuration: "5s",
});
await worker.start();
console.log(`[${label} pid ${process.pid}] polling ${dbPath}`);

process.on("SIGTERM", () => {
  void worker
    .stop()
    .then(() => scheduler.close())
    .then(() => process.exit(0));
});
