import { defineTask, NonRetryableError } from "@zart/core";
import * as z from "zod";

/** What the manager decides: the payload of the `manager-approval` event. */
export const ApprovalDecision = z.object({
  approved: z.boolean(),
  reviewer: z.string(),
  comment: z.string().default(""),
});

/**
 * The seeds' approval workflow: validate the request, park until a manager delivers the
 * `manager-approval` event (at most 2 minutes), then provision the resource if approved.
 */
export const approvalTask = defineTask({
  name: "approval-task",
  input: z.object({ requesterName: z.string(), resource: z.string(), reason: z.string().default("") }),
  timeout: "5m",
  async run(ctx, data) {
    await ctx.step("validate-request", async () => {
      // `data` is validated when started through the server; `zart start` without --tasks is not.
      if (!data?.requesterName) throw new NonRetryableError("requester name is required");
      return `Validated request from ${data.requesterName} for ${data.resource}`;
    });
    const decision = await ctx.waitForEvent("manager-approval", { timeout: "2m", schema: ApprovalDecision });
    if (decision.approved) {
      await ctx.step(
        "process-approved",
        async () => `Provisioned ${data.resource} for ${data.requesterName}`,
      );
    }
    return {
      decision: decision.approved ? "approved" : "rejected",
      requester: data.requesterName,
      resource: data.resource,
      reviewer: decision.reviewer,
      comment: decision.comment,
    };
  },
});
