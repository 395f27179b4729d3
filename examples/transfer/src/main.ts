/**
 * `pnpm start`: 20 transfers of 10 from alice to bob, each one `ctx.transaction` step on the
 * application's own tables (in the same SQLite file as Zart's). A worker process is killed with
 * SIGKILL in the middle of them; a new worker finishes the rest. Money is never created or lost,
 * and every transfer is applied exactly once.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { DurableScheduler, silentLogger, TaskRegistry, Worker } from "@zart/core";
import { SqliteScheduler } from "@zart/store-sqlite";
import { balances, createBank, transfersMade } from "./bank.js";
import { transferTask } from "./transfer-task.js";

const TRANSFERS = 20;
const AMOUNT = 10;
const directory = mkdtempSync(join(tmpdir(), "zart-transfer-"));
const path = join(directory, "bank.db");

const scheduler = new SqliteScheduler({ path });
await scheduler.migrate();
createBank(scheduler.database, { alice: 1000, bob: 0 });
const durable = new DurableScheduler(scheduler);
const total = () => Object.values(balances(scheduler.database)).reduce((a, b) => a + b, 0);

console.log("=== Zart transfer example: transactional steps on SQLite ===");
console.log(`Database: ${path}`);
console.log(`Balances: ${JSON.stringify(balances(scheduler.database))}\n`);
for (let i = 0; i < TRANSFERS; i++) {
  await durable.start(`transfer-${i}`, "transfer", { from: "alice", to: "bob", amount: AMOUNT });
}
console.log(`Started ${TRANSFERS} transfers of ${AMOUNT} from alice to bob.`);

const worker = spawn(
  process.execPath,
  [
    "--import",
    "tsx",
    "--conditions=source",
    fileURLToPath(new URL("worker-process.ts", import.meta.url)),
    path,
  ],
  { stdio: ["ignore", "pipe", "inherit"] },
);
await once(worker.stdout, "data");
while (transfersMade(scheduler.database) < 5) await sleep(10);
worker.kill("SIGKILL");
await once(worker, "exit");
const made = transfersMade(scheduler.database);
const steps = (await durable.listExecutions({ limit: TRANSFERS })).filter((e) =>
  e.steps.some((step) => step.name === "move-money" && step.status === "completed"),
).length;
console.log(
  `Killed worker process ${worker.pid} with SIGKILL while it ran transfers (likely inside one's transaction).`,
);
console.log(`Recorded by Zart: ${steps} completed move-money steps; in the app's tables: ${made} transfers.`);
console.log(`Balances: ${JSON.stringify(balances(scheduler.database))}, total ${total()}`);

console.log("\nA new worker takes the killed one's transfers over once their leases expire (1 s)...");
const finisher = new Worker({
  scheduler,
  registry: new TaskRegistry().register(transferTask(0)),
  pollInterval: 100,
  logger: silentLogger,
});
await finisher.start();
for (let i = 0; i < TRANSFERS; i++) await durable.waitCompletion(`transfer-${i}`, { timeout: "60s" });
await finisher.stop();

const final = balances(scheduler.database);
console.log(`All ${TRANSFERS} transfers completed; ${transfersMade(scheduler.database)} recorded.`);
console.log(`Balances: ${JSON.stringify(final)}, total ${total()}`);
const right =
  final.alice === 1000 - TRANSFERS * AMOUNT && final.bob === TRANSFERS * AMOUNT && total() === 1000;
console.log(right ? "Balances are right: every transfer applied exactly once." : "WRONG BALANCES");
await scheduler.close();
rmSync(directory, { recursive: true, force: true });
process.exit(right ? 0 : 1);
