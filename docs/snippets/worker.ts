import {
  consoleLogger,
  type Scheduler,
  TaskRegistry,
  Worker,
} from "@zart/core";
import { sendInvoice } from "./tasks.js";

declare const scheduler: Scheduler;

// #region options
const worker = new Worker({
  scheduler,
  // claims executions of these tasks only
  registry: new TaskRegistry().register(sendInvoice),
  concurrency: 16, // executions and parallel steps run at once (default 10)
  prefetch: 32, // units claimed ahead of a free slot (default 2 × concurrency)
  // poll for due work this often when no push arrives (default "1s")
  pollInterval: "1s",
  // renewed every third of it while a unit runs (default "30s")
  leaseDuration: "30s",
  workerId: `invoices-${process.pid}`, // shows in leases (default: random)
  logger: consoleLogger,
});
await worker.start();
// #endregion options

// #region shutdown
let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    if (stopping) process.exit(1); // a second signal: give up at once
    stopping = true;
    // Graceful: stop claiming, let running executions reach their next
    // checkpoint, give their leases back, so another worker resumes them at
    // once instead of after the lease expires.
    void worker
      .stop()
      .then(() => scheduler.close())
      .then(() => process.exit(0));
  });
}
// #endregion shutdown
