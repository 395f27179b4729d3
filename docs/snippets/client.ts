import {
  DurableScheduler,
  ExecutionAlreadyExistsError,
  ExecutionFailedError,
  type Scheduler,
  TaskRegistry,
  WaitTimeoutError,
  ZartError,
} from "@zart/core";
import { sendInvoice } from "./tasks.js";

declare const scheduler: Scheduler;

// #region create
// With a registry, `start` rejects unknown task names and validates input with
// the task's schema.
const durable = new DurableScheduler(scheduler, {
  registry: new TaskRegistry().register(sendInvoice),
});
// #endregion create

// #region start
// Typed: `data` is checked against the task's input type and schema.
await durable.startFor(sendInvoice, "invoice-1001", {
  customerId: "c-7",
  amountCents: 4200,
});
// By name, with untyped data (from a script, a queue consumer, …):
await durable.start("invoice-1002", "send-invoice", {
  customerId: "c-8",
  amountCents: 990,
});
// Later: at a date, or after a delay.
await durable.start(
  "invoice-1003",
  "send-invoice",
  { customerId: "c-9", amountCents: 5 },
  { delay: "10m" },
);
await durable.start(
  "invoice-1004",
  "send-invoice",
  { customerId: "c-9", amountCents: 5 },
  { runAt: new Date("2030-01-01T09:00:00Z") },
);
// #endregion start

// #region idempotent-start
try {
  await durable.startFor(sendInvoice, "invoice-1001", {
    customerId: "c-7",
    amountCents: 4200,
  });
} catch (error) {
  // The id is the idempotency key: still running → rejected. Once terminal, the
  // same id starts a new run.
  if (!(error instanceof ExecutionAlreadyExistsError)) throw error;
}
// #endregion idempotent-start

// #region status
const status = await durable.status("invoice-1001"); // never blocks
console.log(
  status.status,
  status.attempt,
  status.steps.map((s) => `${s.name}: ${s.status}`),
);
// #endregion status

// #region wait
try {
  const { invoiceId } = await durable.waitFor(sendInvoice, "invoice-1001", {
    timeout: "30s",
  });
  console.log(invoiceId);
} catch (error) {
  if (error instanceof WaitTimeoutError)
    console.log("still running; it keeps going");
  else if (error instanceof ExecutionFailedError)
    console.log("failed:", error.cause);
  else throw error;
}
// Untyped variants: `wait` resolves with the terminal status, `waitCompletion`
// with the result.
const finished = await durable.wait("invoice-1002", {
  timeout: "30s",
  pollInterval: "250ms",
});
const result = await durable.waitCompletion<{ invoiceId: string }>(
  "invoice-1002",
  { timeout: "30s" },
);
// Start and wait in one call:
await durable.startAndWaitFor(
  sendInvoice,
  "invoice-1005",
  { customerId: "c-1", amountCents: 1 },
  {
    timeout: "1m",
  },
);
console.log(finished.status, result.invoiceId);
// #endregion wait

// #region cancel
// false when it had already finished
const cancelled = await durable.cancel("invoice-1003");
// #endregion cancel

// #region list-purge
const failed = await durable.listExecutions({
  status: "failed",
  taskName: "send-invoice",
  limit: 50,
});
// Retention: delete terminal executions (with their steps and events) finished
// over 30 days ago.
const deleted = await durable.purge({ olderThan: "30d" });
const deletedFailures = await durable.purge({
  olderThan: "7d",
  statuses: ["failed", "cancelled"],
});
console.log(cancelled, failed.length, deleted, deletedFailures);
// #endregion list-purge

// #region errors
try {
  await durable.status("no-such-execution");
} catch (error) {
  // "EXECUTION_NOT_FOUND"
  if (error instanceof ZartError) console.log(error.code);
}
// #endregion errors
