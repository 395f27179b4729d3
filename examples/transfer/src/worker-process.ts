/** `worker-process.ts <db>`: a worker process running transfers until it is killed. */
import { silentLogger, TaskRegistry, Worker } from "@zart/core";
import { SqliteScheduler } from "@zart/store-sqlite";
import { transferTask } from "./transfer-task.js";

const [path = ""] = process.argv.slice(2);
const scheduler = new SqliteScheduler({ path });
const worker = new Worker({
  scheduler,
  registry: new TaskRegistry().register(transferTask(30)),
  concurrency: 4,
  pollInterval: 50,
  leaseDuration: "1s",
  logger: silentLogger,
});
await worker.start();
process.stdout.write("ready\n");
