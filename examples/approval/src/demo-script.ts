import type { DurableScheduler } from "@zart/core";
import {
  type ApprovalDecision,
  type ApprovalOutput,
  type ApprovalRequest,
  approvalTask,
} from "./approval-task.js";

/** The seed's request and the manager's decision, shared by both approval programs. */
export const demoRequest: ApprovalRequest = {
  requesterName: "Bob",
  resource: "staging-environment",
  reason: "Need to test the new deployment pipeline",
};

export const demoDecision: ApprovalDecision = {
  approved: true,
  reviewer: "Alice (Manager)",
  comment: "Approved for testing purposes",
};

/** Starts the execution and prints what the seed's "What you'll see" shows for it. */
export async function startRequest(durable: DurableScheduler, executionId: string): Promise<void> {
  console.log(`Starting execution '${executionId}'...`);
  console.log(`  Requester: ${demoRequest.requesterName}`);
  console.log(`  Resource:  ${demoRequest.resource}`);
  console.log(`  Reason:    ${demoRequest.reason}\n`);
  await durable.startFor(approvalTask, executionId, demoRequest);
}

/** Delivers the manager's decision, waits for the output and prints it. */
export async function decideAndPrint(
  durable: DurableScheduler,
  executionId: string,
): Promise<ApprovalOutput> {
  console.log("Manager decision:", demoDecision, "\n");
  await durable.offerEvent(executionId, "manager-approval", demoDecision);
  const output = await durable.waitFor(approvalTask, executionId, { timeout: "60s" });
  console.log("Execution completed!");
  console.log(`  Decision:  ${output.decision}`);
  console.log(`  Requester: ${output.requester}`);
  console.log(`  Resource:  ${output.resource}`);
  console.log(`  Reviewer:  ${output.reviewer}`);
  console.log(`  Comment:   ${output.comment}`);
  return output;
}
