/** `DurableScheduler.wait` and `waitCompletion`: polling an execution until it ends. */
import { setTimeout as sleep } from "node:timers/promises";
import { type Duration, toMillis } from "./duration.js";
import { deserializeError } from "./error-serialization.js";
import { ExecutionCancelledError, ExecutionFailedError, WaitTimeoutError } from "./errors.js";
import { readRun } from "./run-history.js";
import type { Scheduler } from "./scheduler/scheduler.js";
import { isTerminal } from "./scheduler/vocabularies.js";
import { type DurableExecutionStatus, toStatus } from "./status.js";

/** The cap of {@link DurableScheduler.waitCompletionWithTimeout}. */
export const DEFAULT_WAIT_COMPLETION_TIMEOUT: Duration = "30s";

export interface WaitOptions {
  /** Give up waiting after this long (the execution keeps running). */
  timeout: Duration;
  /** How often to read the status. Default 100 ms. */
  pollInterval?: Duration;
  /** Stops the wait early (e.g. an HTTP client went away). */
  signal?: AbortSignal;
}

/** The status once terminal; `WaitTimeoutError` after `timeout`. */
export async function waitTerminal(
  scheduler: Scheduler,
  executionId: string,
  options: WaitOptions,
): Promise<DurableExecutionStatus> {
  const timeoutMs = toMillis(options.timeout, "timeout");
  const pollMs = toMillis(options.pollInterval ?? 100, "pollInterval");
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const status = toStatus(await readRun(scheduler, executionId, undefined));
    if (isTerminal(status.status)) return status;
    const left = deadline - performance.now();
    if (left <= 0) throw new WaitTimeoutError(executionId, timeoutMs);
    options.signal?.throwIfAborted();
    await sleep(Math.min(pollMs, left), undefined, options.signal ? { signal: options.signal } : {});
  }
}

/** The result of a terminal execution; `ExecutionFailedError` / `ExecutionCancelledError` otherwise. */
export async function resultOf<T>(
  scheduler: Scheduler,
  executionId: string,
  status: DurableExecutionStatus,
): Promise<T> {
  if (status.status === "cancelled") throw new ExecutionCancelledError(executionId);
  if (status.status === "failed") {
    const details = await scheduler.getExecution(executionId);
    const error = details?.execution.error;
    throw new ExecutionFailedError(
      executionId,
      error ? deserializeError(error) : new Error("unknown failure"),
    );
  }
  return status.result as T;
}
