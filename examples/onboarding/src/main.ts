/**
 * Seed 003's onboarding workflow: five steps, a retried Stripe call with a durable 2 s backoff, and
 * a wait for the email-verification event. `pnpm --filter @zart/example-onboarding start`.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { DurableScheduler, TaskRegistry, Worker } from "@zart/core";
import { MemoryScheduler } from "@zart/store-memory";
import { onboardingTask, sideEffects } from "./onboarding-task.js";

const scheduler = new MemoryScheduler();
const registry = new TaskRegistry().register(onboardingTask);
const worker = new Worker({ scheduler, registry, pollInterval: "100ms" });
await worker.start();
const durable = new DurableScheduler(scheduler, { registry });

const executionId = "signup-user-42";
console.log("=== Zart Onboarding Example ===\n");
await durable.startFor(onboardingTask, executionId, { userId: "user-42", email: "alice@example.com" });
console.log(`Started '${executionId}' for alice@example.com\n`);

let shown = 0;
const showProgress = () => {
  for (; shown < sideEffects.length; shown++) console.log(`  • ${sideEffects[shown]}`);
};
for (;;) {
  showProgress();
  const status = await durable.status(executionId);
  if (status.status === "waiting" && status.steps.some((s) => s.kind === "event")) break;
  await sleep(50);
}
console.log("\nWaiting for the user to click the verification link (event 'email-verified')...");
await durable.offerEvent(executionId, "email-verified", { verifiedAt: new Date().toISOString() });
console.log("Event delivered.\n");

const result = await durable.waitCompletion<{ customerId: string }>(executionId, { timeout: "30s" });
showProgress();
const status = await durable.status(executionId);
console.log(`\nExecution ${status.status}: customer ${result.customerId}`);
for (const step of status.steps) {
  console.log(
    `  ${step.name.padEnd(24)} ${step.kind.padEnd(6)} ${step.status} (${step.attempts} attempt${step.attempts === 1 ? "" : "s"})`,
  );
}

await worker.stop();
await scheduler.close();
