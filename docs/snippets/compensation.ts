import { defineTask, NonRetryableError } from "@zart/core";

declare function reserveSeat(flight: string): Promise<string>;
declare function refund(paymentId: string): Promise<void>;

export const bookFlight = defineTask({
  name: "book-flight",
  async run(ctx, data: { flight: string; payment: string }) {
    // #region compensate
    try {
      return await ctx.step("reserve-seat", () => reserveSeat(data.flight));
    } catch (error) {
      // the compensation is a step too
      await ctx.step("refund", () => refund(data.payment));
      throw new NonRetryableError("no seat available", { cause: error });
    }
    // #endregion compensate
  },
});
