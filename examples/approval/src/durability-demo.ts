/**
 * The main demo (`pnpm demo`): the approval workflow on a SQLite file across processes. A worker
 * process runs the first step and parks the execution on the manager's decision; the demo kills it
 * with SIGKILL, starts a fresh worker process, delivers the event and prints the result.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { DurableScheduler, TaskRegistry } from "@zart/core";
import { SqliteScheduler } from "@zart/store-sqlite";
import { approvalTask } from "./approval-task.js";
import { decideAndPrint, startRequest } from "./demo-script.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const dbPath = join(here, "..", "approval-demo.db");
for (const suffix of ["", "-wal", "-shm"]) rmSync(dbPath + suffix, { force: true });

function startWorker(label: string): ChildProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=source", join(here, "worker-process.ts"), dbPath, label],
    {
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  return child;
}

async function waitForStatus(durable: DurableScheduler, id: string, wanted: string): Promise<void> {
  while ((await durable.status(id)).status !== wanted) await sleep(50);
}

const scheduler = new SqliteScheduler({ path: dbPath });
await scheduler.migrate();
const durable = new DurableScheduler(scheduler, { registry: new TaskRegistry().register(approvalTask) });

console.log("=== Zart Approval Workflow Example (durable, on SQLite) ===");
console.log(`Database: ${dbPath}\n`);

const workerA = startWorker("worker A");
const executionId = `approval-demo-${Date.now()}`;
await startRequest(durable, executionId);

await waitForStatus(durable, executionId, "waiting");
const parked = await durable.status(executionId);
console.log("Execution is waiting for manager approval...");
for (const step of parked.steps) console.log(`  step ${step.name}: ${step.status}`);

console.log(`\nKilling worker A (pid ${workerA.pid}) with SIGKILL while the execution waits.`);
workerA.kill("SIGKILL");
await once(workerA, "exit");
console.log(
  `Worker A is gone; the execution is still '${(await durable.status(executionId)).status}' in ${dbPath}.\n`,
);

const workerB = startWorker("worker B");
console.log("(Simulating manager delivering the event after 2 seconds)\n");
await sleep(2_000);
await decideAndPrint(durable, executionId);
console.log();

const final = await durable.status(executionId);
console.log("Steps as recorded:");
for (const step of final.steps)
  console.log(`  ${step.name.padEnd(18)} ${step.kind.padEnd(6)} ${step.status}`);

workerB.kill("SIGTERM");
await once(workerB, "exit");
await scheduler.close();
