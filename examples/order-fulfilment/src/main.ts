/**
 * Runs one order through `fulfil-order` on a SQLite file: the parent invokes the payment child,
 * starts the shipping child, and the carrier's pick-up scan (an event to the shipping child)
 * finishes it. `pnpm --filter @zart/example-order-fulfilment start`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DurableScheduler, TaskRegistry, Worker } from "@zart/core";
import { SqliteScheduler } from "@zart/store-sqlite";
import { chargePayment, fulfilOrder, log, shipOrder } from "./order-tasks.js";

const directory = mkdtempSync(join(tmpdir(), "zart-order-fulfilment-"));
const scheduler = new SqliteScheduler({ path: join(directory, "orders.db") });
await scheduler.migrate();
const registry = new TaskRegistry().register(fulfilOrder).register(chargePayment).register(shipOrder);
const worker = new Worker({ scheduler, registry, pollInterval: "100ms" });
await worker.start();
const durable = new DurableScheduler(scheduler, { registry });

let shown = 0;
const showLog = () => {
  for (; shown < log.length; shown++) console.log(`  • ${log[shown]}`);
};

console.log("=== Zart Order Fulfilment Example (SQLite) ===\n");
const executionId = "order-1001";
await durable.startFor(fulfilOrder, executionId, {
  orderId: "1001",
  customer: "alice@example.com",
  items: [
    { sku: "KEYBOARD-60", quantity: 1 },
    { sku: "USB-C-CABLE", quantity: 2 },
  ],
  amountCents: 12_900,
});
console.log(`Started '${executionId}'\n`);

// Wait until the shipping child is parked on the carrier's scan.
for (;;) {
  showLog();
  const shipping = await durable.listExecutions({ parentId: executionId, taskName: "ship-order" });
  if (shipping[0]?.status === "waiting") break;
  await sleep(50);
}
const parent = await durable.status(executionId);
console.log(`\nParent is ${parent.status} on its children; the shipping child waits for 'picked-up'.`);
console.log("Carrier webhook: offering 'picked-up' to 'ship-1001'...\n");
await durable.offerEvent("ship-1001", "picked-up", { trackingNumber: "1Z999AA10123456784" });

const result = await durable.waitCompletion(executionId, { timeout: "30s" });
showLog();
console.log(`\nExecution completed: ${JSON.stringify(result)}`);
const status = await durable.status(executionId);
for (const step of status.steps) {
  console.log(`  ${step.name.padEnd(20)} ${step.kind.padEnd(6)} ${step.status}`);
}
console.log("\nChild executions:");
for (const child of await durable.listExecutions({ parentId: executionId })) {
  console.log(`  ${child.executionId.padEnd(28)} ${child.name.padEnd(15)} ${child.status}`);
}

await worker.stop();
await scheduler.close();
rmSync(directory, { recursive: true, force: true });
