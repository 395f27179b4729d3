import { serializeError } from "../error-serialization.js";
import { isNonRetryable, stepFailed } from "../errors.js";
import { toJsonText } from "../json.js";
import { RetryConfig } from "../retry.js";
import type { SerializedError, StepRecord } from "../scheduler/records.js";
import { runInScope } from "./ambient.js";
import type { ScheduledBody } from "./parallel-operations.js";
import type { RunState } from "./run-state.js";
import type { TaskContext } from "./task-context.js";

export type ChildOutcome =
  | { status: "completed"; result?: string; attempts: number }
  | { status: "failed"; error: SerializedError; attempts: number }
  /** The attempt failed and another is allowed: the store parks the child until `wakeAt`. */
  | { status: "retry"; error: SerializedError; attempts: number; wakeAt: Date };

/**
 * Runs one attempt of a parallel step's body (the child's `attempts` so far come from its row).
 * A failed attempt that its retry policy allows again returns `retry` with the backoff's end as a
 * wake time: the store parks the child, so the backoff holds no worker slot and follows the clock.
 */
export async function runChildBody(
  state: RunState,
  ctx: TaskContext,
  body: ScheduledBody,
  child: StepRecord,
): Promise<ChildOutcome> {
  const { name } = child;
  const retry = body.retry ?? RetryConfig.none();
  const attempt = child.attempts;
  const attempts = attempt + 1;
  const observed = state.observer.stepStarted(name, "parallel", attempts);
  const { ended } = observed;
  try {
    const scope = { state, ctx, step: name, stepAttempt: attempt };
    const value = await runInScope(scope, () => observed.run(() => body.fn()));
    const result = toJsonText(value, `The result of parallel step "${name}"`, state.maxPayloadBytes);
    ended("completed");
    return { status: "completed", ...(result === undefined ? {} : { result }), attempts };
  } catch (error) {
    if (attempts > retry.retries || isNonRetryable(error) || state.fatal || state.signal.aborted) {
      ended("failed", state.fatal ?? error);
      const failure = stepFailed("Parallel step", name, attempts, state.fatal ?? error);
      return { status: "failed", error: serializeError(failure), attempts };
    }
    ended("retry", error);
    const wakeAt = new Date(state.now().getTime() + retry.delayBefore(attempts));
    return { status: "retry", error: serializeError(error), attempts, wakeAt };
  }
}
