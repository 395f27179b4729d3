/**
 * Writes docs/console-list.png and docs/console-detail.png from a live console over sample data:
 * `pnpm --filter @zart/console screenshots` (needs Chromium, like the browser tests).
 */
import { setTimeout as delay } from "node:timers/promises";
import { defineTask } from "@zart/core";
import { startConsoleHarness } from "../test/support/console-harness.js";

/** A child execution of `checkout`, so the detail page shows a family. */
const notifyWarehouseTask = defineTask({
  name: "notify-warehouse",
  async run(ctx, pick: { orderId: string; warehouse: string }) {
    return ctx.step("send-pick-list", async () => ({ ...pick, sent: true }));
  },
});

const checkoutTask = defineTask({
  name: "checkout",
  async run(ctx, order: { orderId: string; items: { sku: string; qty: number }[]; total: number }) {
    const reservation = await ctx.step("reserve-stock", async () => {
      await delay(180);
      return { reserved: order.items.length, warehouse: "ams-2" };
    });
    await ctx.startChild(
      notifyWarehouseTask,
      { orderId: order.orderId, warehouse: reservation.warehouse },
      { detached: true },
    );
    const charge = await ctx.step("charge-card", async () => {
      await delay(420);
      return { chargeId: `ch_${order.orderId}`, amount: order.total, currency: "EUR" };
    });
    const shipment = await ctx.waitForEvent<{ carrier: string; tracking: string }>("shipment-confirmed", {
      timeout: "2d",
    });
    return ctx.step("send-receipt", async () => ({ reservation, charge, shipment }));
  },
});

const docs = (name: string) => new URL(`../../../docs/${name}`, import.meta.url).pathname;
const harness = await startConsoleHarness({ realTime: true, tasks: [checkoutTask, notifyWarehouseTask] });
try {
  const order = (n: number) => ({
    orderId: `A-10${n}`,
    items: [
      { sku: "KB-75", qty: 1 },
      { sku: "USB-C-2M", qty: 2 },
    ],
    total: 129.9 + n,
  });
  // A first run of order-A-104, cancelled: its detail shows the runs of the id.
  await harness.start("order-A-104", "checkout", order(4));
  await harness.settle("order-A-104", "waiting");
  await harness.durable.cancel("order-A-104");
  await harness.settle("order-A-104", "cancelled");
  for (let n = 1; n <= 4; n++) {
    await harness.start(`order-A-10${n}`, "checkout", order(n));
    await harness.settle(`order-A-10${n}`, "waiting");
  }
  await harness.durable.offerEvent("order-A-101", "shipment-confirmed", {
    carrier: "DHL",
    tracking: "JD0146",
  });
  await harness.settle("order-A-101", "completed");
  await harness.start("report-2026-12", "quick", { month: "2026-12" });
  await harness.settle("report-2026-12", "completed");
  await harness.start("refund-R-77", "failing", { message: "card issuer declined the refund (code 05)" });
  await harness.settle("refund-R-77", "failed");
  await harness.durable.cancel("order-A-103");
  await harness.settle("order-A-103", "cancelled");
  await harness.durable.offerEvent(
    "order-A-102",
    "shipment-confirmed",
    { carrier: "UPS", tracking: "1Z999" },
    { idempotencyKey: "ship-A-102" },
  );
  await harness.settle("order-A-102", "completed");

  await harness.durable.offerEvent(
    "order-A-104",
    "address-changed",
    { street: "Keizersgracht 1", city: "Amsterdam" },
    { idempotencyKey: "addr-A-104-1" },
  );

  const list = await harness.open("#/");
  await list.setViewportSize({ width: 1200, height: 560 });
  await list.locator("table.executions tbody tr").nth(5).waitFor();
  await list.screenshot({ path: docs("console-list.png") });

  const detail = await harness.open("#/executions/order-A-104");
  await detail.setViewportSize({ width: 1200, height: 1100 });
  await detail.locator(".timeline-step").nth(2).waitFor();
  await detail.locator("table.children tbody tr").first().waitFor();
  await detail.locator("table.runs tbody tr").nth(1).waitFor();
  await detail.screenshot({ path: docs("console-detail.png"), fullPage: true });
  console.log("wrote docs/console-list.png and docs/console-detail.png");
} finally {
  await harness.close();
}
