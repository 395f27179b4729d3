/**
 * One worker process of the overload fault test (`bench/test/faults/overload.test.ts`):
 * `overload-worker <config JSON>` (see {@link OverloadWorkerConfig}). Runs the three tasks of the
 * test (one step each) and appends `ran <execution> <worker>` to the ledger for every step body
 * run; prints `ready` once polling, stops gracefully on SIGTERM.
 */
import { appendFileSync } from "node:fs";
import { defineTask, silentLogger, TaskRegistry, Worker } from "@zart/core";
import { PostgresScheduler } from "@zart/store-postgres";
import { OVERLOAD_TASKS, type OverloadWorkerConfig } from "./overload-config.js";

const config = JSON.parse(process.argv[2] ?? "{}") as OverloadWorkerConfig;
const scheduler = new PostgresScheduler({
  connectionString: config.url,
  schema: config.schema,
  logger: silentLogger,
});
const registry = new TaskRegistry();
for (const name of OVERLOAD_TASKS) {
  registry.register(
    defineTask({
      name,
      async run(ctx, n: number) {
        return await ctx.step("only", async () => {
          appendFileSync(config.ledger, `ran ${ctx.executionId} ${config.workerId}\n`);
          return n * 2;
        });
      },
    }),
  );
}
const worker = new Worker({
  scheduler,
  registry,
  workerId: config.workerId,
  concurrency: config.concurrency,
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
