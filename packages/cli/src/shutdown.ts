import type { Logger, Scheduler, Worker } from "@zart/core";
import type { RunningServer } from "@zart/server";

/** What `zart serve` stops, in order, on SIGINT / SIGTERM. */
export interface Serving {
  server: RunningServer;
  worker: Worker;
  scheduler: Scheduler;
  logger: Logger;
}

/**
 * Stops `zart serve` gracefully: the HTTP server stops accepting and ends its long polls, the
 * worker stops claiming and in-flight runs finish (each gives its lease back at its next
 * checkpoint). What is still running after `timeoutMs` is abandoned: its `ctx.signal` is aborted
 * and its lease released, so another worker takes it over at once instead of after the lease
 * expires. Resolves `true` when work was abandoned.
 */
export async function stopServing(
  { server, worker, scheduler, logger }: Serving,
  timeoutMs: number,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  const finished = Promise.all([server.close(), worker.stop()]).then(() => "done" as const);
  const outcome = await Promise.race([finished, timedOut]);
  clearTimeout(timer);
  if (outcome === "timeout") {
    logger.warn(
      { timeoutMs },
      "shutdown timeout reached: abandoning in-flight work and releasing its leases",
    );
    await worker.stop({ graceful: false });
  }
  await scheduler.close();
  return outcome === "timeout";
}

/** Resolves with the first SIGINT / SIGTERM; a second one exits at once (130 / 143). */
export function firstSignal(logger: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) {
        logger.warn({ signal }, "Stopping at once.");
        process.exit(signal === "SIGINT" ? 130 : 143);
      }
      received = true;
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
