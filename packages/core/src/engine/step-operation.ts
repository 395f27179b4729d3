import { deserializeError, serializeError } from "../error-serialization.js";
import { messageOf, NonRetryableError, SerializationError, StepFailedError, ZartError } from "../errors.js";
import { fromJsonText, toJsonText } from "../json.js";
import { RetryConfig } from "../retry.js";
import type { StepKind } from "../scheduler/vocabularies.js";
import { runInScope } from "./ambient.js";
import type { RunState } from "./run-state.js";
import type { TaskContext } from "./task-context.js";

/** True when an error (or one in its cause chain) asks to fail without retries. */
export function isNonRetryable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    if (e instanceof NonRetryableError || e instanceof SerializationError) return true;
    if (e instanceof ZartError && (e.code === "NON_RETRYABLE" || e.code === "SERIALIZATION")) return true;
  }
  return false;
}

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
  const { position, stepName, recorded } = state.claimSlot(name, kind);
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
    const value = await runInScope({ state, ctx, stepAttempt: attemptsSoFar }, () => fn());
    text = toJsonText(value, `The result of step "${stepName}"`, state.maxPayloadBytes);
  } catch (error) {
    if (state.isParked) return state.park({ kind: "released" });
    const attempts = attemptsSoFar + 1;
    const base = { position, name: stepName, kind, attempts, startedAt };
    if (attempts <= retry.retries && !isNonRetryable(error)) {
      const wakeAt = new Date(state.now().getTime() + retry.delayBefore(attempts));
      const step = { ...base, status: "waiting" as const, error: serializeError(error), wakeAt };
      return parkUntil(state, wakeAt, step);
    }
    const failure = new StepFailedError(
      `Step "${stepName}" failed after ${attempts} attempt(s): ${messageOf(error)}`,
      {
        cause: error,
        details: { step: stepName, attempts },
      },
    );
    const serialized = serializeError(failure);
    await state.write((patch, now) =>
      state.scheduler.saveStep(
        state.lease,
        { ...base, status: "failed", error: serialized, completedAt: now },
        patch,
        now,
      ),
    );
    throw failure;
  }
  await state.write((patch, now) =>
    state.scheduler.saveStep(
      state.lease,
      {
        position,
        name: stepName,
        kind,
        status: "completed",
        ...(text === undefined ? {} : { result: text }),
        attempts: attemptsSoFar + 1,
        startedAt,
        completedAt: now,
      },
      patch,
      now,
    ),
  );
  return fromJsonText<T>(text);
}

/** Parks the execution until `wakeAt` (never past the task deadline), saving `step` with it. */
async function parkUntil(
  state: RunState,
  wakeAt: Date,
  step: Parameters<RunState["scheduler"]["suspend"]>[1]["step"],
): Promise<never> {
  const due = state.timeoutAt && state.timeoutAt < wakeAt ? state.timeoutAt : wakeAt;
  await state.write((patch, now) =>
    state.scheduler.suspend(
      state.lease,
      { ...(step ? { step } : {}), wakeAt: due, reason: "retry" },
      patch,
      now,
    ),
  );
  return state.park({ kind: "suspended", wakeAt: due });
}
