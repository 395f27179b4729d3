import { serializeError } from "../error-serialization.js";
import { isNonRetryable, stepFailed } from "../errors.js";
import { toJsonText } from "../json.js";
import { RetryConfig } from "../retry.js";
import type { SerializedError } from "../scheduler/records.js";
import { runInScope } from "./ambient.js";
import type { ScheduledBody } from "./parallel-operations.js";
import type { RunState } from "./run-state.js";
import type { TaskContext } from "./task-context.js";

export type ChildOutcome =
  | { status: "completed"; result?: string; attempts: number }
  | { status: "failed"; error: SerializedError; attempts: number };

/**
 * Runs a parallel step's body with its retry policy. Retries of a child happen inside its claim
 * (the lease is kept alive by the heartbeat), waiting real time between attempts.
 */
export async function runChildBody(
  state: RunState,
  ctx: TaskContext,
  body: ScheduledBody,
  name: string,
): Promise<ChildOutcome> {
  const retry = body.retry ?? RetryConfig.none();
  for (let attempt = 0; ; attempt++) {
    try {
      const value = await runInScope({ state, ctx, step: name, stepAttempt: attempt }, () => body.fn());
      const result = toJsonText(value, `The result of parallel step "${name}"`, state.maxPayloadBytes);
      return { status: "completed", ...(result === undefined ? {} : { result }), attempts: attempt + 1 };
    } catch (error) {
      const attempts = attempt + 1;
      if (attempts > retry.retries || isNonRetryable(error) || state.fatal || state.signal.aborted) {
        const failure = stepFailed("Parallel step", name, attempts, state.fatal ?? error);
        return { status: "failed", error: serializeError(failure), attempts };
      }
      await delay(retry.delayBefore(attempts), state.signal);
    }
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
