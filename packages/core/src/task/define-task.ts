import type { Duration } from "../duration.js";
import type { TaskContext } from "../engine/task-context.js";
import type { RetryConfig } from "../retry.js";
import type { StandardSchema } from "../validation.js";

/**
 * The class form of a task (the seeds' `TaskHandler`): any object with `run`. Optional
 * `maxRetries` (task-level retries, default 0), `timeout` (wall clock from the first start) and
 * `retry` (backoff between task-level retries, default exponential from 1 s).
 */
export interface TaskHandler<Data = unknown, Output = unknown> {
  run(ctx: TaskContext, data: Data): Promise<Output>;
  maxRetries?: number;
  timeout?: Duration;
  retry?: RetryConfig;
}

export interface TaskOptions<Data, Output> extends TaskHandler<Data, Output> {
  /** Registered name; how executions refer to the task. */
  name: string;
  /** Validates the input when an execution is started (nothing is persisted if it fails). */
  input?: StandardSchema<Data>;
  /** Validates the output when a typed caller waits for it (`waitFor`, `startAndWaitFor`). */
  output?: StandardSchema<Output>;
}

const TASK_BRAND = Symbol.for("zart.task");

/** A task made by {@link defineTask}; carries its types for `startFor` / `waitFor`. */
export interface TaskDefinition<Data = unknown, Output = unknown> extends TaskOptions<Data, Output> {
  readonly [TASK_BRAND]: true;
}

/** Defines a durable task. See {@link TaskOptions}. */
export function defineTask<Data = unknown, Output = unknown>(
  options: TaskOptions<Data, Output>,
): TaskDefinition<Data, Output> {
  return Object.freeze({ ...options, [TASK_BRAND]: true as const });
}

/** True for values made by {@link defineTask} (used to discover tasks in loaded modules). */
export function isTaskDefinition(value: unknown): value is TaskDefinition {
  return (
    typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[TASK_BRAND] === true
  );
}
