import type { StepKind } from "../scheduler/vocabularies.js";
import type { StepAttemptEnd, SuspendInfo, WorkerHooks } from "./worker-hooks.js";

export interface ObservedRun {
  executionId: string;
  taskName: string;
  workerId: string;
}

/** Reports one run's step attempts and suspensions to the worker's hooks. */
export class RunObserver {
  readonly #hooks: WorkerHooks;
  readonly #run: ObservedRun;

  constructor(hooks: WorkerHooks, run: ObservedRun) {
    this.#hooks = hooks;
    this.#run = run;
  }

  /** Reports a step attempt's start; returns the callback that reports its end. */
  stepStarted(
    step: string,
    kind: StepKind,
    attempt: number,
  ): (outcome: StepAttemptEnd["outcome"], error?: unknown) => void {
    const info = { ...this.#run, step, kind, attempt };
    const startedAt = performance.now();
    this.#hooks.stepStarted?.(info);
    return (outcome, error) =>
      this.#hooks.stepEnded?.({
        ...info,
        outcome,
        ...(error === undefined ? {} : { error }),
        durationMs: performance.now() - startedAt,
      });
  }

  suspended(reason: SuspendInfo["reason"], step: string | undefined, wakeAt: Date | undefined): void {
    this.#hooks.suspended?.({
      ...this.#run,
      reason,
      ...(step === undefined ? {} : { step }),
      ...(wakeAt ? { wakeAt } : {}),
    });
  }
}
