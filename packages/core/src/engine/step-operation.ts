import { deserializeError, serializeError } from "../error-serialization.js";
import { isNonRetryable, stepFailed } from "../errors.js";
import { fromJsonText, toJsonText } from "../json.js";
import { RetryConfig } from "../retry.js";
import type { StepWrite } from "../scheduler/scheduler.js";
import type { StepKind } from "../scheduler/vocabularies.js";
import { runInScope } from "./ambient.js";
import type { RunState } from "./run-state.js";
import type { TaskContext } from "./task-context.js";

/**
 * Runs (or replays) one step. Completed → the stored result, `fn` not called. Failed for good →
 * the stored failure is thrown again. Otherwise `fn` runs; its result is serialized, persisted with
 * one fenced write, and the JSON round-trip is returned. A failed attempt with retries left is
 * persisted with its retry time and the execution parks until then (durable backoff).
 */
export async function runStep<T>(
  state: RunState,
  ctx: TaskContext,
  name: string,
  fn: () => Promise<T> | T,
  retry: RetryConfig = RetryConfig.none(),
  kind: StepKind = "step",
): Promise<T> {
  const slot = state.claimSlot(name, kind);
  try {
    return await runSlot(state, ctx, slot, fn, retry, kind);
  } finally {
    state.operations.leave();
  }
}

async function runSlot<T>(
  state: RunState,
  ctx: TaskContext,
  { position, stepName, recorded }: ReturnType<RunState["claimSlot"]>,
  fn: () => Promise<T> | T,
  retry: RetryConfig,
  kind: StepKind,
): Promise<T> {
  await state.enterOperation();
  if (recorded?.status === "completed") return fromJsonText<T>(recorded.result);
  if (recorded?.status === "failed" && recorded.error) throw deserializeError(recorded.error);
  if (state.replayOnly) return state.park({ kind: "replay-end" });

  const attemptsSoFar = recorded?.attempts ?? 0;
  if (recorded?.status === "waiting" && recorded.wakeAt && recorded.wakeAt > state.now()) {
    return parkUntil(state, recorded.wakeAt, undefined);
  }

  const startedAt = state.now();
  let text: string | undefined;
  try {
    const value = await runInScope({ state, ctx, step: stepName, stepAttempt: attemptsSoFar }, () => fn());
    if (state.fatal) throw state.fatal;
    text = toJsonText(value, `The result of step "${stepName}"`, state.maxPayloadBytes);
  } catch (error) {
    if (state.isParked) return state.park({ kind: "released" });
    // A nested operation or a passed deadline fails the execution, not just this attempt.
    if (state.fatal) throw state.fatal;
    const attempts = attemptsSoFar + 1;
    const base = { position, name: stepName, kind, attempts, startedAt };
    if (attempts <= retry.retries && !isNonRetryable(error)) {
      const wakeAt = new Date(state.now().getTime() + retry.delayBefore(attempts));
      const step = { ...base, status: "waiting" as const, error: serializeError(error), wakeAt };
      return parkUntil(state, wakeAt, step);
    }
    const failure = stepFailed("Step", stepName, attempts, error);
    await state.saveStep({
      ...base,
      status: "failed",
      error: serializeError(failure),
      completedAt: state.now(),
    });
    throw failure;
  }
  await state.saveStep({
    position,
    name: stepName,
    kind,
    status: "completed",
    ...(text === undefined ? {} : { result: text }),
    attempts: attemptsSoFar + 1,
    startedAt,
    completedAt: state.now(),
  });
  return fromJsonText<T>(text);
}

/** Parks the execution until `wakeAt` (never past the task deadline), saving `step` with it. */
function parkUntil(state: RunState, wakeAt: Date, step: StepWrite | undefined): Promise<never> {
  const due = state.timeoutAt && state.timeoutAt < wakeAt ? state.timeoutAt : wakeAt;
  return state.suspend({ ...(step ? { step } : {}), wakeAt: due, reason: "retry" });
}
