import type { StepKind } from "../scheduler/vocabularies.js";
import type { StepAttemptEnd, StepAttemptInfo, SuspendInfo, WorkerHooks } from "./worker-hooks.js";

export interface ObservedRun {
  executionId: string;
  taskName: string;
  workerId: string;
}

/** Reports the end of a step attempt (see `RunObserver.stepStarted`). */
export type StepEnded = (outcome: StepAttemptEnd["outcome"], error?: unknown) => void;

/** One step attempt as the hooks see it: its body run through them, then its end reported. */
export interface ObservedStep {
  /** Runs the attempt's body through the hooks' `runStep` (as it is when none wraps bodies). */
  run<T>(body: () => T): T;
  ended: StepEnded;
}

const runAsIs = <T>(body: () => T): T => body();

/** A step attempt when no hook listens to steps: nothing to build or call. */
const IGNORED: ObservedStep = { run: runAsIs, ended: () => {} };

/**
 * Reports one run's step attempts and suspensions to the worker's hooks. When no hook listens to
 * steps (the default: only the worker's logging, which reports failed steps), a step costs no
 * allocation here: a completed attempt builds no info object and calls nothing.
 */
export class RunObserver {
  readonly #hooks: WorkerHooks;
  readonly #run: ObservedRun;
  /** Some hook wants every step attempt (`stepStarted`, `runStep`, or a `stepEnded` not only for failures). */
  readonly #everyStep: boolean;

  /** `failuresOnly`: the hooks' `stepEnded` only acts on attempts that did not complete. */
  constructor(hooks: WorkerHooks, run: ObservedRun, failuresOnly = false) {
    this.#hooks = hooks;
    this.#run = run;
    this.#everyStep =
      hooks.stepStarted !== undefined ||
      hooks.runStep !== undefined ||
      (hooks.stepEnded !== undefined && !failuresOnly);
  }

  /** Reports a step attempt's start; returns how to run its body and report its end. */
  stepStarted(step: string, kind: StepKind, attempt: number): ObservedStep {
    if (!this.#everyStep) {
      return this.#hooks.stepEnded ? { run: runAsIs, ended: this.#failuresOf(step, kind, attempt) } : IGNORED;
    }
    const { executionId, taskName, workerId } = this.#run;
    const info: StepAttemptInfo = { executionId, taskName, workerId, step, kind, attempt };
    const startedAt = performance.now();
    const hooks = this.#hooks;
    hooks.stepStarted?.(info);
    const wrap = hooks.runStep;
    return {
      run: wrap ? (body) => wrap(info, body) : runAsIs,
      ended: (outcome, error) => {
        // `info` itself (which a hook may have tagged), completed: copying an object carrying a
        // hook's symbol-keyed tag costs more than the tracing hooks' own work on a step.
        const end = info as StepAttemptEnd;
        end.outcome = outcome;
        end.durationMs = performance.now() - startedAt;
        if (error !== undefined) end.error = error;
        hooks.stepEnded?.(end);
      },
    };
  }

  /** Reports only attempts that did not complete (their duration is not measured). */
  #failuresOf(step: string, kind: StepKind, attempt: number): StepEnded {
    return (outcome, error) => {
      if (outcome === "completed") return;
      const info = { ...this.#run, step, kind, attempt, outcome, durationMs: Number.NaN };
      this.#hooks.stepEnded?.(error === undefined ? info : { ...info, error });
    };
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
