// #region task
import { defineTask } from "@zart/core";
import * as z from "zod";

export const ApprovalDecision = z.object({
  approved: z.boolean(),
  reviewer: z.string(),
  comment: z.string(),
});

export const approvalTask = defineTask({
  name: "approval-task",
  input: z.object({
    requesterName: z.string(),
    resource: z.string(),
    reason: z.string(),
  }),
  timeout: "5m", // wall clock from the first start
  maxRetries: 0, // task-level retries: completed steps are skipped
  async run(ctx, data) {
    await ctx.step("validate-request", async () => {
      if (!data.requesterName) throw new Error("requester name is required");
    });
    const decision = await ctx.waitForEvent("manager-approval", {
      timeout: "2m",
      schema: ApprovalDecision,
    });
    if (decision.approved)
      await ctx.step(
        "process-approved",
        async () => `Provisioned ${data.resource}`,
      );
    return {
      decision: decision.approved ? "approved" : "rejected",
      reviewer: decision.reviewer,
    };
  },
});
// #endregion task
