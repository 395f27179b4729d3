import { AsyncLocalStorage } from "node:async_hooks";
import { ZartError } from "../errors.js";
import type { RetryConfig } from "../retry.js";
import type { RunState } from "./run-state.js";
import type { TaskContext } from "./task-context.js";

interface AmbientScope {
  state: RunState;
  ctx: TaskContext;
  /** Set inside a step body: the step's name. */
  step?: string;
  /** Set inside a step body: the step's attempt (0-based). */
  stepAttempt?: number;
}

const storage = new AsyncLocalStorage<AmbientScope>();

export function runInScope<T>(scope: AmbientScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentScope(): AmbientScope | undefined {
  return storage.getStore();
}

/** What {@link context} returns. */
export interface ExecutionInfo {
  executionId: string;
  taskName: string;
  /** The execution's input, as stored. */
  data: unknown;
  /** Inside a step body: the step's attempt; elsewhere: the task attempt. 0-based. */
  currentAttempt: number;
  maxRetries: number;
  isRetry: boolean;
}

/** Metadata of the execution the caller runs in. Throws outside an execution. */
export function context(): ExecutionInfo {
  const scope = storage.getStore();
  if (!scope) {
    throw new ZartError("NO_EXECUTION_CONTEXT", "context() was called outside a durable execution.");
  }
  const currentAttempt = scope.stepAttempt ?? scope.state.attempt;
  return {
    executionId: scope.state.executionId,
    taskName: scope.state.task.name,
    data: scope.state.input,
    currentAttempt,
    maxRetries: scope.state.task.maxRetries,
    isRetry: currentAttempt > 0,
  };
}

/** A step function made by {@link defineStep}. */
export interface StepFunction<Args extends unknown[], Result> {
  (...args: Args): Promise<Result>;
  /** The same step under another name, for one call: `notify.named("notify-3")(email)`. */
  named(name: string): (...args: Args) => Promise<Result>;
}

/**
 * Turns a function into a durable step callable from anywhere inside an execution
 * (`await sendWelcomeEmail(email)`). `name` may be a function of the arguments
 * (`(i) => \`process-report-${i}\``). Outside an execution the call throws.
 */
export function defineStep<Args extends unknown[], Result>(
  name: string | ((...args: Args) => string),
  fn: (...args: Args) => Promise<Result> | Result,
  options: { retry?: RetryConfig } = {},
): StepFunction<Args, Result> {
  const call = (stepName: string, args: Args): Promise<Result> => {
    const scope = storage.getStore();
    if (!scope) {
      return Promise.reject(
        new ZartError("NO_EXECUTION_CONTEXT", `Step "${stepName}" was called outside a durable execution.`),
      );
    }
    return scope.ctx.step(stepName, async () => fn(...args), options);
  };
  const step = (...args: Args) => call(typeof name === "function" ? name(...args) : name, args);
  step.named =
    (override: string) =>
    (...args: Args) =>
      call(override, args);
  return step;
}
