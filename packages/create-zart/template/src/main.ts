import { randomUUID } from "node:crypto";
import { DurableScheduler } from "@zart/core";
import { openStore } from "./store.js";
import { welcomeTask } from "./tasks.js";
import { registry, startWorker } from "./worker.js";

const scheduler = await openStore(process.argv[2]);
await scheduler.migrate();
const worker = await startWorker(scheduler);

const client = new DurableScheduler(scheduler, { registry });
const executionId = `welcome-${randomUUID()}`;
await client.startFor(welcomeTask, executionId, { email: "ada@example.com", name: "Ada" });
console.log(`started ${executionId}`);
console.log(await client.waitFor(welcomeTask, executionId, { timeout: "30s" }));

await worker.stop();
await scheduler.close();
