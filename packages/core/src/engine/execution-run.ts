import { serializeError } from "../error-serialization.js";
import {
  isNonRetryable,
  NonDeterminismError,
  TaskNotRegisteredError,
  TaskTimeoutError,
  UnawaitedStepError,
} from "../errors.js";
import { RunObserver } from "../hooks/run-observer.js";
import type { WorkerHooks } from "../hooks/worker-hooks.js";
import { fromJsonText, toJsonText } from "../json.js";
import type { ActivePauseRules } from "../pause-rules/active-pause-rules.js";
import { RetryConfig } from "../retry.js";
import type { ClaimedChild, ClaimedWork } from "../scheduler/claims.js";
import type { Lease } from "../scheduler/lease.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import { describeTask, type RegisteredTask, type TaskRegistry } from "../task/task-registry.js";
import { validateWith } from "../validation.js";
import { runInScope } from "./ambient.js";
import { type ChildOutcome, runChildBody } from "./child-body.js";
import type { ParkReason } from "./run-parking.js";
import { RunState } from "./run-state.js";
import { TaskContext } from "./task-context.js";

/** How one run of a claimed unit ended. */
export type RunOutcome =
  | ParkReason
  | { kind: "completed" }
  | { kind: "failed"; error: Error }
  | { kind: "retry"; runAt: Date; error: unknown }
  | { kind: "settled" };

export interface ExecutionRunOptions {
  work: ClaimedWork;
  scheduler: Scheduler;
  registry: TaskRegistry;
  maxPayloadBytes: number;
  workerId: string;
  hooks: WorkerHooks;
  /** The worker's pause rules (see `ActivePauseRules`). */
  pauseRules?: ActivePauseRules;
  /** The hooks' `stepEnded` only reports failed attempts (see `RunObserver`). */
  stepFailuresOnly?: boolean;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Runs one claimed unit to its next resting point: an execution until it completes, fails,
 * parks or loses its lease; a child until its body's outcome is settled. It owns the unit's
 * {@link RunState}; the worker steers it only through `requestStop` and `abandon`.
 */
export class ExecutionRun {
  readonly #state: RunState;
  readonly #work: ClaimedWork;
  readonly #task: RegisteredTask | undefined;
  #timeoutTimer: NodeJS.Timeout | undefined;

  constructor(options: ExecutionRunOptions) {
    const { work, scheduler, registry, maxPayloadBytes, workerId, hooks, pauseRules } = options;
    this.#work = work;
    const { execution } = work;
    this.#task = registry.findVersion(execution.taskName, execution.version);
    const task = this.#task ?? unregistered(execution.taskName, execution.version);
    const startedAt = execution.startedAt ?? execution.createdAt;
    const timeoutAt =
      execution.timeoutAt ??
      (task.timeoutMs === undefined ? undefined : new Date(startedAt.getTime() + task.timeoutMs));
    this.#state = new RunState({
      scheduler,
      task,
      lease: work.lease,
      executionId: execution.executionId,
      attempt: execution.attempt,
      input: fromJsonText(execution.payload),
      // A child's own row lets the replay check the name and kind at its `scheduleStep`.
      steps: work.kind === "child" ? [...work.steps, work.child] : work.steps,
      dataText: execution.data,
      timeoutAt,
      timeoutIsNew: timeoutAt !== undefined && execution.timeoutAt === undefined,
      maxPayloadBytes,
      observer: new RunObserver(
        hooks,
        { executionId: execution.executionId, taskName: execution.taskName, workerId },
        options.stepFailuresOnly,
      ),
      registry,
      ...(pauseRules ? { pauseRuleAt: (task, step) => pauseRules.ruleAt(task, step) } : {}),
      ...(work.kind === "child" ? { childPosition: work.child.position } : {}),
      ...(execution.traceContext ? { traceContext: execution.traceContext } : {}),
    });
  }

  get executionId(): string {
    return this.#work.execution.executionId;
  }

  get lease(): Lease {
    return this.#work.lease;
  }

  /** True once the run stopped (parked, released, abandoned): its lease needs no renewal. */
  get isParked(): boolean {
    return this.#state.isParked;
  }

  /** See `RunState.doneWithSlot`. */
  get doneWithSlot(): Promise<void> {
    return this.#state.doneWithSlot;
  }

  /** Graceful stop: the run gives its lease back at its next context operation. */
  requestStop(): void {
    this.#state.requestStop();
  }

  /**
   * Drops the run now: `ctx.signal` is aborted with `reason` and no further write is made. With
   * `release`, the lease is given back first, so another worker can claim the unit at once.
   */
  async abandon(reason: Error, options: { release?: boolean } = {}): Promise<void> {
    this.#state.abort(reason);
    if (options.release) await this.#state.writes.release();
    else void this.#state.park({ kind: "lost", error: reason });
  }

  execute(): Promise<RunOutcome> {
    // Claims are filtered by the registry's names, so only a store breaking that contract gets here.
    if (!this.#task) return this.#fail(new TaskNotRegisteredError(this.#work.execution.taskName));
    const running = this.#work.kind === "child" ? this.#executeChild(this.#work) : this.#executeTask();
    // Only a run with a deadline has a timer to clear: no wrapping promise for the others.
    if (this.#state.timeoutAt === undefined) return running;
    return running.finally(() => clearTimeout(this.#timeoutTimer));
  }

  async #executeTask(): Promise<RunOutcome> {
    const state = this.#state;
    const task = this.#task!;
    if (state.timeoutAt && state.timeoutAt <= state.now()) return this.#fail(state.timeoutError());
    const ctx = new TaskContext(state);
    const run = settle(runInScope({ state, ctx }, () => task.run(ctx, state.input)));
    // Settled (`ok`), parked (a `kind`) or, with a deadline only, timed out.
    const first = await Promise.race(
      state.timeoutAt
        ? [run, state.parked, this.#deadline(state.timeoutAt).then(() => ({ timedOut: true as const }))]
        : [run, state.parked],
    );
    if ("kind" in first) return first;
    if ("timedOut" in first || state.fatal) return this.#fail(state.fatal);
    if (!first.ok) return this.#failAttempt(first.error);
    const unawaited = state.operations.unawaited;
    if (unawaited.length > 0) return this.#fail(new UnawaitedStepError(...unawaited));
    let result: string | undefined;
    try {
      const output = task.output
        ? await validateWith(task.output, first.value, `The output of task "${task.name}"`)
        : first.value;
      result = toJsonText(output, `The output of task "${task.name}"`, state.maxPayloadBytes);
    } catch (error) {
      return this.#failAttempt(error);
    }
    return (await state.writes.complete(result)) ?? { kind: "completed" };
  }

  async #executeChild(work: ClaimedChild): Promise<RunOutcome> {
    const state = this.#state;
    const task = this.#task!;
    const ctx = new TaskContext(state);
    const run = settle(runInScope({ state, ctx }, () => task.run(ctx, state.input)));
    const found = await Promise.race([
      state.childBody.then((body) => ({ body })),
      run.then(() => ({ body: undefined })),
      state.parked.then((reason) => ({ body: undefined, parked: reason })),
    ]);
    if ("parked" in found && found.parked.kind === "lost") return found.parked;
    const outcome: ChildOutcome = found.body
      ? await runChildBody(state, ctx, found.body, work.child)
      : {
          status: "failed",
          attempts: 1,
          error: serializeError(
            new NonDeterminismError(
              `Replaying ${describeTask(this.#task!)} did not reach parallel step "${work.child.name}" at position ${work.child.position}; the task's code changed while the execution was in flight.`,
            ),
          ),
        };
    if (outcome.status === "retry") {
      const { error, attempts, wakeAt } = outcome;
      return (await state.writes.retryChild({ error, attempts, wakeAt })) ?? { kind: "suspended", wakeAt };
    }
    return (await state.writes.settleChild(outcome)) ?? { kind: "settled" };
  }

  /** An error escaped `run`: retry the task attempt if allowed, else fail for good. */
  async #failAttempt(error: unknown): Promise<RunOutcome> {
    const state = this.#state;
    const task = this.#task!;
    const final =
      isNonRetryable(error) ||
      error instanceof NonDeterminismError ||
      error instanceof TaskTimeoutError ||
      state.attempt >= task.maxRetries;
    if (final) return this.#fail(error);
    const runAt = new Date(state.now().getTime() + task.retry.delayBefore(state.attempt + 1));
    return (await state.writes.retry(serializeError(error), runAt)) ?? { kind: "retry", runAt, error };
  }

  async #fail(error: unknown): Promise<RunOutcome> {
    const lost = await this.#state.writes.fail(serializeError(error));
    return lost ?? { kind: "failed", error: error instanceof Error ? error : new Error(String(error)) };
  }

  /**
   * Resolves at `deadline`, the task deadline. While the task runs, the deadline fails the
   * execution even in the middle of a long step; the step's later write is fenced off.
   */
  #deadline(deadline: Date): Promise<void> {
    const state = this.#state;
    const ms = Math.max(0, deadline.getTime() - state.now().getTime());
    return new Promise((resolve) => {
      this.#timeoutTimer = setTimeout(
        () => {
          state.abort(state.failFatally(state.timeoutError()));
          resolve();
        },
        Math.min(ms, 2_147_483_647),
      );
    });
  }
}

function unregistered(name: string, version: string | undefined): RegisteredTask {
  const task = { name, run: async () => undefined, maxRetries: 0, retry: RetryConfig.none() };
  return version === undefined ? task : { ...task, version };
}

function settle(promise: Promise<unknown>): Promise<Settled> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}
