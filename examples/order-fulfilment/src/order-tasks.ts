/**
 * An order fulfilled by a parent execution that invokes two child executions: the payment, and the
 * shipping, which waits for the carrier's pick-up scan (an event). Each child is a full execution
 * (its own id, input validation, retries and history); the parent is released while it waits.
 */
import { defineTask } from "@zart/core";
import * as z from "zod";

/** What happened, in order, for the demo's output (a real app would write to its own tables). */
export const log: string[] = [];

const Order = z.object({
  orderId: z.string(),
  customer: z.string(),
  items: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() })),
  amountCents: z.number().int().positive(),
});
export type Order = z.infer<typeof Order>;

/** Charges the customer's card: one step, so a crash after the charge never charges twice. */
export const chargePayment = defineTask({
  name: "charge-payment",
  input: z.object({ orderId: z.string(), amountCents: z.number().int().positive() }),
  async run(ctx, { orderId, amountCents }) {
    const chargeId = await ctx.step("charge-card", async () => {
      log.push(`payment: charged ${(amountCents / 100).toFixed(2)} EUR for ${orderId}`);
      return `ch_${orderId}`;
    });
    return { chargeId };
  },
});

/** Books a carrier, then waits (durably, up to 3 days) for the carrier's pick-up scan. */
export const shipOrder = defineTask({
  name: "ship-order",
  input: z.object({ orderId: z.string(), customer: z.string() }),
  events: { "picked-up": z.object({ trackingNumber: z.string() }) },
  async run(ctx, { orderId, customer }) {
    const label = await ctx.step("book-carrier", async () => {
      log.push(`shipping: carrier booked for ${orderId} to ${customer}`);
      return `label-${orderId}`;
    });
    const scan = await ctx.waitForEvent("picked-up", { timeout: "3d" });
    log.push(`shipping: ${label} picked up, tracking ${scan.trackingNumber}`);
    return { trackingNumber: scan.trackingNumber };
  },
});

/** The parent: reserve stock, invoke the payment, then start the shipping and wait for it. */
export const fulfilOrder = defineTask({
  name: "fulfil-order",
  input: Order,
  async run(ctx, order) {
    await ctx.step("reserve-stock", async () => {
      log.push(`order: reserved ${order.items.map((i) => `${i.quantity}× ${i.sku}`).join(", ")}`);
    });
    const payment = await ctx.invoke(chargePayment, {
      orderId: order.orderId,
      amountCents: order.amountCents,
    });
    const shipping = await ctx.startChild(
      shipOrder,
      { orderId: order.orderId, customer: order.customer },
      { id: `ship-${order.orderId}` },
    );
    const [shipment] = await ctx.waitForChildren([shipping]);
    await ctx.step("notify-customer", async () => {
      log.push(`order: told ${order.customer} their parcel is on its way (${shipment.trackingNumber})`);
    });
    return { chargeId: payment.chargeId, trackingNumber: shipment.trackingNumber };
  },
});
