import { deserializeError, serializeError } from "../error-serialization.js";
import { isNonRetryable, stepFailed } from "../errors.js";
import { retryAfterTime } from "../flow/retry-after-error.js";
import { fromJsonText, toJsonText } from "../json.js";
import { RetryConfig } from "../retry.js";
import type { StepKind, TransactionIsolation } from "../scheduler/vocabularies.js";
import type { StepWrite } from "../scheduler/worker-writes.js";
import { runInScope } from "./ambient.js";
import type { RunState } from "./run-state.js";
import type { TaskContext } from "./task-context.js";

/**
 * Runs (or replays) one step. Completed → the stored result, `fn` not called. Failed for good →
 * the stored failure is thrown again. Otherwise `fn` runs; its result is serialized, persisted with
 * one fenced write (for a `ctx.transaction` step, in the body's own transaction), and the JSON
 * round-trip is returned. A failed attempt with retries left is
 * persisted with its retry time and the execution parks until then (durable backoff).
 */
export function runStep<T>(
  state: RunState,
  ctx: TaskContext,
  name: string,
  fn: (transaction: unknown) => Promise<T> | T,
  retry: RetryConfig = RetryConfig.none(),
  kind: StepKind = "step",
  transactional?: Transactional,
): Promise<T> {
  let slot: ReturnType<RunState["claimSlot"]>;
  try {
    slot = state.claimSlot(name, kind);
  } catch (error) {
    return Promise.reject(error);
  }
  // A chain, not `async`/`await` around `runSlot`: a promise fewer per step (see `RunState.#write`).
  return runSlot(state, ctx, slot, fn, retry, kind, transactional).then(
    (value) => {
      state.operations.leave();
      return value;
    },
    (error: unknown) => {
      state.operations.leave();
      throw error;
    },
  );
}

/**
 * Set for a `ctx.transaction` step: each attempt runs `fn` inside a store transaction that also
 * writes the completed step (see `Scheduler.runTransactionalStep`). Failures are recorded as for
 * any step, outside that (rolled back) transaction.
 */
export interface Transactional {
  isolation?: TransactionIsolation;
}

async function runSlot<T>(
  state: RunState,
  ctx: TaskContext,
  { position, stepName, recorded }: ReturnType<RunState["claimSlot"]>,
  fn: (transaction: unknown) => Promise<T> | T,
  retry: RetryConfig,
  kind: StepKind,
  transactional: Transactional | undefined,
): Promise<T> {
  const entering = state.enterOperation();
  if (entering) await entering;
  if (recorded?.status === "completed") return fromJsonText<T>(recorded.result);
  if (recorded?.status === "failed" && recorded.error) throw deserializeError(recorded.error);
  if (state.replayOnly) return state.park({ kind: "replay-end" });

  const attemptsSoFar = recorded?.attempts ?? 0;
  if (recorded?.status === "waiting" && recorded.wakeAt && recorded.wakeAt > state.now()) {
    return parkUntil(state, recorded.wakeAt, undefined);
  }

  const rule = state.pauseRuleAt(stepName);
  if (rule) {
    const held = { position, name: stepName, kind, status: "paused", attempts: attemptsSoFar } as const;
    return state.writes.holdForRule(rule, { ...held, startedAt: state.now() });
  }

  const startedAt = state.now();
  const observed = state.observer.stepStarted(stepName, kind, attemptsSoFar + 1);
  const { ended } = observed;
  const completed = (text: string | undefined): StepWrite => ({
    position,
    name: stepName,
    kind,
    status: "completed",
    ...(text === undefined ? {} : { result: text }),
    attempts: attemptsSoFar + 1,
    startedAt,
    completedAt: state.now(),
  });
  const scope = { state, ctx, step: stepName, stepAttempt: attemptsSoFar };
  const attempt = async (transaction?: unknown): Promise<T> => {
    const value = await runInScope(scope, () => observed.run(() => fn(transaction)));
    if (state.fatal) throw state.fatal;
    return value;
  };
  const textOf = (value: unknown) =>
    toJsonText(value, `The result of step "${stepName}"`, state.maxPayloadBytes);
  let text: string | undefined;
  let saved = false;
  try {
    if (transactional) {
      const step = await state.writes.runTransactionalStep({
        body: attempt,
        complete: (value) => completed(textOf(value)),
        ...(transactional.isolation ? { isolation: transactional.isolation } : {}),
      });
      text = step.result;
      saved = true;
    } else {
      // `attempt` inlined: two promises fewer on the common path.
      const value = await runInScope(scope, () => observed.run(() => fn(undefined)));
      if (state.fatal) throw state.fatal;
      text = textOf(value);
    }
  } catch (error) {
    if (state.isParked || state.fatal) ended("failed", state.fatal ?? error);
    if (state.isParked) return state.park({ kind: "released" });
    // A nested operation or a passed deadline fails the execution, not just this attempt.
    if (state.fatal) throw state.fatal;
    // Asked to come back later: park until then, the attempt not counted.
    const retryAt = retryAfterTime(error, state.now());
    if (retryAt) {
      const waiting = { position, name: stepName, kind, status: "waiting" as const, attempts: attemptsSoFar };
      return parkUntil(state, retryAt, {
        ...waiting,
        startedAt,
        error: serializeError(error),
        wakeAt: retryAt,
      });
    }
    const attempts = attemptsSoFar + 1;
    const base = { position, name: stepName, kind, attempts, startedAt };
    if (attempts <= retry.retries && !isNonRetryable(error)) {
      ended("retry", error);
      const wakeAt = new Date(state.now().getTime() + retry.delayBefore(attempts));
      const step = { ...base, status: "waiting" as const, error: serializeError(error), wakeAt };
      return parkUntil(state, wakeAt, step);
    }
    ended("failed", error);
    const failure = stepFailed("Step", stepName, attempts, error);
    await state.writes.saveStep({
      ...base,
      status: "failed",
      error: serializeError(failure),
      completedAt: state.now(),
    });
    throw failure;
  }
  ended("completed");
  if (!saved) await state.writes.saveStep(completed(text));
  return fromJsonText<T>(text);
}

/** Parks the execution until `wakeAt` (never past the task deadline), saving `step` with it. */
function parkUntil(state: RunState, wakeAt: Date, step: StepWrite | undefined): Promise<never> {
  const due = state.timeoutAt && state.timeoutAt < wakeAt ? state.timeoutAt : wakeAt;
  return state.writes.suspend({ ...(step ? { step } : {}), wakeAt: due, reason: "retry" });
}
