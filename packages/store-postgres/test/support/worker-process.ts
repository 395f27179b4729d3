/**
 * `worker-process.ts <url> <schema> <workerId>`: one worker process of the multi-process test.
 * Runs ledger chains until it is killed (SIGKILL, by the test) or asked to stop (SIGTERM).
 */
import { silentLogger, TaskRegistry, Worker } from "@zart/core";
import pg from "pg";
import { PostgresScheduler } from "../../src/index.js";
import { ledgerTask } from "./ledger.js";

const [url, schema, workerId] = process.argv.slice(2) as [string, string, string];
const ledger = new pg.Pool({ connectionString: url, max: 8 });
ledger.on("error", () => {});
const scheduler = new PostgresScheduler({ connectionString: url, schema, poolSize: 8, logger: silentLogger });
const registry = new TaskRegistry().register(ledgerTask({ pool: ledger, schema, workerId, stepMs: 10 }));
const worker = new Worker({
  scheduler,
  registry,
  workerId,
  concurrency: 8,
  pollInterval: 250,
  leaseDuration: "2s",
  logger: silentLogger,
});
await worker.start();
process.stdout.write("ready\n");

process.once("SIGTERM", () => {
  void (async () => {
    await worker.stop();
    await scheduler.close();
    await ledger.end();
    process.exit(0);
  })();
});
