import { serializeError } from "../error-serialization.js";
import {
  NonDeterminismError,
  NonRetryableError,
  TaskNotRegisteredError,
  TaskTimeoutError,
} from "../errors.js";
import { fromJsonText, toJsonText } from "../json.js";
import { RetryConfig } from "../retry.js";
import type { ClaimedChild, ClaimedWork, Scheduler } from "../scheduler/scheduler.js";
import type { RegisteredTask, TaskRegistry } from "../task/task-registry.js";
import { runInScope } from "./ambient.js";
import { runChildBody } from "./child-body.js";
import { type ParkReason, RunState } from "./run-state.js";
import { isNonRetryable } from "./step-operation.js";
import { TaskContext } from "./task-context.js";

/** How one run of a claimed unit ended. */
export type RunOutcome =
  | ParkReason
  | { kind: "completed" }
  | { kind: "failed"; error: Error }
  | { kind: "retry"; runAt: Date }
  | { kind: "settled" };

export interface RunDependencies {
  scheduler: Scheduler;
  registry: TaskRegistry;
  maxPayloadBytes: number;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Runs one claimed unit to its next resting point: an execution until it completes, fails,
 * parks or loses its lease; a child until its body's outcome is settled.
 */
export class ExecutionRun {
  readonly state: RunState;
  readonly #work: ClaimedWork;
  readonly #task: RegisteredTask | undefined;
  #timeoutTimer: NodeJS.Timeout | undefined;

  constructor(work: ClaimedWork, deps: RunDependencies) {
    this.#work = work;
    const { execution } = work;
    this.#task = deps.registry.find(execution.taskName);
    const task = this.#task ?? unregistered(execution.taskName);
    const startedAt = execution.startedAt ?? execution.createdAt;
    const timeoutAt =
      execution.timeoutAt ??
      (task.timeoutMs === undefined ? undefined : new Date(startedAt.getTime() + task.timeoutMs));
    this.state = new RunState(
      deps.scheduler,
      task,
      work.lease,
      execution.executionId,
      execution.attempt,
      fromJsonText(execution.payload),
      // A child's own row lets the replay check the name and kind at its `scheduleStep`.
      work.kind === "child" ? [...work.steps, work.child] : work.steps,
      execution.data,
      timeoutAt,
      timeoutAt !== undefined && execution.timeoutAt === undefined,
      deps.maxPayloadBytes,
    );
    if (work.kind === "child") this.state.childPosition = work.child.position;
    this.state.registry = deps.registry;
  }

  get executionId(): string {
    return this.#work.execution.executionId;
  }

  async execute(): Promise<RunOutcome> {
    try {
      // Claims are filtered by the registry's names, so only a store breaking that contract gets here.
      if (!this.#task) return await this.#fail(new TaskNotRegisteredError(this.#work.execution.taskName));
      return this.#work.kind === "child" ? await this.#executeChild(this.#work) : await this.#executeTask();
    } finally {
      clearTimeout(this.#timeoutTimer);
    }
  }

  async #executeTask(): Promise<RunOutcome> {
    const { state } = this;
    const task = this.#task!;
    if (state.timeoutAt) {
      const remaining = state.timeoutAt.getTime() - state.now().getTime();
      if (remaining <= 0) return this.#fail(this.#timeoutError());
    }
    const ctx = new TaskContext(state);
    const run = settle(runInScope({ state, ctx }, () => task.run(ctx, state.input)));
    const first = await Promise.race([
      run,
      state.parked.then((reason) => ({ parked: reason })),
      this.#deadline().then(() => ({ timedOut: true as const })),
    ]);
    if ("parked" in first) return first.parked;
    if ("timedOut" in first) return this.#fail(state.fatal);
    if (state.fatal) return this.#fail(state.fatal);
    if (!first.ok) return this.#failAttempt(first.error);
    let result: string | undefined;
    try {
      result = toJsonText(first.value, `The output of task "${task.name}"`, state.maxPayloadBytes);
    } catch (error) {
      return this.#fail(error as Error);
    }
    const lost = await state.finalWrite((patch, now) =>
      state.scheduler.completeExecution(state.lease, result === undefined ? {} : { result }, patch, now),
    );
    return lost ?? { kind: "completed" };
  }

  async #executeChild(work: ClaimedChild): Promise<RunOutcome> {
    const { state } = this;
    const task = this.#task!;
    const ctx = new TaskContext(state);
    const run = settle(runInScope({ state, ctx }, () => task.run(ctx, state.input)));
    const found = await Promise.race([
      state.childBody.then((body) => ({ body })),
      run.then(() => ({ body: undefined })),
      state.parked.then((reason) => ({ body: undefined, parked: reason })),
    ]);
    if ("parked" in found && found.parked.kind === "lost") return found.parked;
    const outcome = found.body
      ? await runChildBody(state, ctx, found.body, work.child.name)
      : {
          status: "failed" as const,
          attempts: 1,
          error: serializeError(
            new NonDeterminismError(
              `Replaying the task did not reach parallel step "${work.child.name}" at position ${work.child.position}; the task's code changed while the execution was in flight.`,
            ),
          ),
        };
    const lost = await state.finalWrite((_patch, now) =>
      state.scheduler.settleChild(work.lease, outcome, now),
    );
    return lost ?? { kind: "settled" };
  }

  /** An error escaped `run`: retry the task attempt if allowed, else fail for good. */
  async #failAttempt(error: unknown): Promise<RunOutcome> {
    const { state } = this;
    const task = this.#task!;
    const final =
      isNonRetryable(error) ||
      error instanceof NonDeterminismError ||
      error instanceof TaskTimeoutError ||
      error instanceof NonRetryableError ||
      state.attempt >= task.maxRetries;
    if (final) return this.#fail(error);
    const runAt = new Date(state.now().getTime() + task.retry.delayBefore(state.attempt + 1));
    const serialized = serializeError(error);
    const lost = await state.finalWrite((patch, now) =>
      state.scheduler.retryExecution(state.lease, { error: serialized, runAt }, patch, now),
    );
    return lost ?? { kind: "retry", runAt };
  }

  async #fail(error: unknown): Promise<RunOutcome> {
    const { state } = this;
    const serialized = serializeError(error);
    const lost = await state.finalWrite((patch, now) =>
      state.scheduler.failExecution(state.lease, { error: serialized }, patch, now),
    );
    return lost ?? { kind: "failed", error: error instanceof Error ? error : new Error(String(error)) };
  }

  #timeoutError(): TaskTimeoutError {
    return new TaskTimeoutError(
      `Execution "${this.executionId}" passed its task timeout (${this.state.timeoutAt?.toISOString()}).`,
    );
  }

  /**
   * Resolves at the task deadline (never, without one). While the task runs, the deadline fails the
   * execution even in the middle of a long step; the step's later write is fenced off.
   */
  #deadline(): Promise<void> {
    const { state } = this;
    if (!state.timeoutAt) return new Promise(() => {});
    const ms = Math.max(0, state.timeoutAt.getTime() - state.now().getTime());
    return new Promise((resolve) => {
      this.#timeoutTimer = setTimeout(
        () => {
          state.fatal = this.#timeoutError();
          state.abort.abort(state.fatal);
          resolve();
        },
        Math.min(ms, 2_147_483_647),
      );
    });
  }
}

function unregistered(name: string): RegisteredTask {
  return { name, run: async () => undefined, maxRetries: 0, retry: RetryConfig.none() };
}

function settle(promise: Promise<unknown>): Promise<Settled> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}
