/**
 * One worker process of the multi-process suite, spawned by it:
 * `worker <opener> <config> <ledger> <workerId> <stepMs> <leaseMs> <concurrency>`.
 * Opens the store with the opener module's default export, runs ledger executions, prints `ready`
 * once polling; stops gracefully on SIGTERM (the suite SIGKILLs it at random moments).
 */
import { silentLogger, TaskRegistry, Worker } from "@zart/core";
import { ledgerTask } from "./ledger.js";
import type { SchedulerOpener } from "./options.js";

const [
  opener = "",
  config = "",
  ledger = "",
  workerId = "",
  stepMs = "0",
  leaseMs = "2000",
  concurrency = "4",
] = process.argv.slice(2);
const open = ((await import(opener)) as { default: SchedulerOpener }).default;
const scheduler = await open(config);
const worker = new Worker({
  scheduler,
  registry: new TaskRegistry().register(ledgerTask(ledger, workerId, Number(stepMs))),
  workerId,
  concurrency: Number(concurrency),
  pollInterval: 100,
  leaseDuration: Number(leaseMs),
  logger: silentLogger,
});
await worker.start();
process.stdout.write("ready\n");

process.once("SIGTERM", () => {
  void worker
    .stop()
    .then(() => scheduler.close())
    .then(() => process.exit(0));
});
