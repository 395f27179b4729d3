import {
  DurableScheduler,
  defineTask,
  EventTimeoutError,
  type Scheduler,
} from "@zart/core";
import * as z from "zod";

declare function escalate(orderId: string): Promise<void>;
declare const scheduler: Scheduler;

const Approval = z.object({ approved: z.boolean(), reviewer: z.string() });

// #region wait
export const orderApproval = defineTask({
  name: "order-approval",
  async run(ctx, order: { orderId: string }) {
    try {
      // Validated with the schema; EventTimeoutError after 24 h. No timeout =
      // wait forever.
      const approval = await ctx.waitForEvent("manager-approval", {
        timeout: "24h",
        schema: Approval,
      });
      return approval.approved
        ? "approved"
        : `rejected by ${approval.reviewer}`;
    } catch (error) {
      if (!(error instanceof EventTimeoutError)) throw error;
      await ctx.step("escalate", () => escalate(order.orderId));
      return "escalated";
    }
  },
});
// #endregion wait

// #region offer
const durable = new DurableScheduler(scheduler);
const { status } = await durable.offerEvent(
  "order-42",
  "manager-approval",
  { approved: true, reviewer: "carol@example.com" },
  // a re-sent webhook answers "duplicate"
  { idempotencyKey: "webhook-delivery-8f2c" },
);
console.log(status); // "delivered" | "duplicate"
// #endregion offer
