import { defineStep, defineTask, NonRetryableError } from "@zart/core";
import * as z from "zod";

export const ApprovalRequest = z.object({
  requesterName: z.string(),
  resource: z.string().min(1),
  reason: z.string(),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequest>;

export const ApprovalDecision = z.object({
  approved: z.boolean(),
  reviewer: z.string(),
  comment: z.string(),
});
export type ApprovalDecision = z.infer<typeof ApprovalDecision>;

export const ApprovalOutput = z.object({
  decision: z.enum(["approved", "rejected"]),
  requester: z.string(),
  resource: z.string(),
  reviewer: z.string(),
  comment: z.string(),
});
export type ApprovalOutput = z.infer<typeof ApprovalOutput>;

const validateRequest = defineStep("validate-request", async (request: ApprovalRequest) => {
  if (!request.requesterName) throw new NonRetryableError("requester name is required");
  return `Validated request from ${request.requesterName} for ${request.resource}`;
});

const processApproved = defineStep("process-approved", async (resource: string, requester: string) => {
  // A real system would provision the resource here.
  return `Provisioned ${resource} for ${requester}`;
});

/** Seed 001: validate a resource request, park until a manager decides, then provision or reject. */
export const approvalTask = defineTask({
  name: "approval-task",
  input: ApprovalRequest,
  output: ApprovalOutput,
  events: { "manager-approval": ApprovalDecision },
  timeout: "5m",
  async run(ctx, data): Promise<ApprovalOutput> {
    await validateRequest(data);
    // Typed and validated by the `events` declaration.
    const decision = await ctx.waitForEvent("manager-approval", { timeout: "2m" });
    if (decision.approved) await processApproved(data.resource, data.requesterName);
    return {
      decision: decision.approved ? "approved" : "rejected",
      requester: data.requesterName,
      resource: data.resource,
      reviewer: decision.reviewer,
      comment: decision.comment,
    };
  },
});
