/**
 * `counter-worker.ts <url> <schema> <mode>`: a worker process running counter tasks (`run`), or
 * one that stops inside its first transaction body (`hang`) until it is killed.
 */
import { silentLogger, TaskRegistry, Worker } from "@zart/core";
import { PostgresScheduler } from "../../src/index.js";
import { counterTask } from "./counter-task.js";

const [url, schema, mode] = process.argv.slice(2) as [string, string, string];
const scheduler = new PostgresScheduler({ connectionString: url, schema, poolSize: 6, logger: silentLogger });
const registry = new TaskRegistry().register(counterTask({ schema, stepMs: 5, hang: mode === "hang" }));
const worker = new Worker({
  scheduler,
  registry,
  concurrency: 4,
  pollInterval: 100,
  leaseDuration: "1s",
  logger: silentLogger,
});
await worker.start();
process.stdout.write("ready\n");
