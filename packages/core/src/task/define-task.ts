import type { Duration } from "../duration.js";
import type { TaskContext } from "../engine/task-context.js";
import type { ConcurrencyOptions } from "../flow/concurrency.js";
import type { QueueDefinition } from "../flow/define-queue.js";
import type { RateLimitOptions } from "../flow/rate-limit.js";
import { taskFlow } from "../flow/task-concurrency.js";
import type { RetryConfig } from "../retry.js";
import { assertId, type StandardSchema } from "../validation.js";

/** The events a task accepts, by name, with the schema of each payload. */
export type EventSchemas = Record<string, StandardSchema>;

/**
 * The class form of a task (the seeds' `TaskHandler`): any object with `run`. Optional
 * `maxRetries` (task-level retries, default 0), `timeout` (wall clock from the first start) and
 * `retry` (backoff between task-level retries, default exponential from 1 s).
 */
// biome-ignore lint/complexity/noBannedTypes: `{}` = a task that declares no events
export interface TaskHandler<Data = unknown, Output = unknown, Events extends EventSchemas = {}> {
  run(ctx: TaskContext<Events>, data: Data): Promise<Output>;
  maxRetries?: number;
  timeout?: Duration;
  retry?: RetryConfig;
}

// biome-ignore lint/complexity/noBannedTypes: `{}` = a task that declares no events
export interface TaskOptions<Data, Output, Events extends EventSchemas = {}>
  extends TaskHandler<Data, Output, Events> {
  /** Registered name; how executions refer to the task. */
  name: string;
  /**
   * The code's version (any non-empty id, e.g. a date `"2026-12-01"`): an execution records the
   * version it started on and only a worker that registered that version of the task claims it, so
   * executions in flight finish on the code they started with. Several versions of one task can be
   * registered side by side; a start by name uses the last one registered. Absent = unversioned
   * (claimed only by workers registering the task without a version).
   */
  version?: string;
  /** Validates the input when an execution is started (nothing is persisted if it fails). */
  input?: StandardSchema<Data>;
  /** Validates the output when a typed caller waits for it (`waitFor`, `startAndWaitFor`). */
  output?: StandardSchema<Output>;
  /**
   * The events the task accepts. `ctx.waitForEvent(name)` takes its payload type and schema from
   * here; a client with a registry validates `offerEvent` payloads against it before persisting
   * anything, and rejects names not declared here.
   */
  events?: Events;
  /**
   * Fleet-wide: at most `limit` executions of this task (per `key(data)`, when given) hold a running
   * lease at once, across every worker. The key is computed at start and persisted.
   */
  concurrency?: ConcurrencyOptions<Data>;
  /**
   * Fleet-wide: at most `limit` executions of this task (per `key(data)`, when given) START per
   * `period` (fixed windows aligned to the epoch; resuming after a sleep, wait or retry is not a
   * start). Work over the limit stays pending until the window ends. The key is computed at start.
   */
  rateLimit?: RateLimitOptions<Data>;
  /** A queue from `defineQueue`: the task's executions count against the queue's limits. */
  queue?: QueueDefinition;
}

const TASK_BRAND = Symbol.for("zart.task");

/** A task made by {@link defineTask}; carries its types for `startFor` / `waitFor`. */
// biome-ignore lint/complexity/noBannedTypes: `{}` = a task that declares no events
export interface TaskDefinition<Data = unknown, Output = unknown, Events extends EventSchemas = {}>
  extends TaskOptions<Data, Output, Events> {
  readonly [TASK_BRAND]: true;
}

/** Defines a durable task. See {@link TaskOptions}. */
// biome-ignore lint/complexity/noBannedTypes: `{}` = a task that declares no events
export function defineTask<Data = unknown, Output = unknown, Events extends EventSchemas = {}>(
  options: TaskOptions<Data, Output, Events>,
): TaskDefinition<Data, Output, Events> {
  taskFlow(options.name, options);
  versionOf(options);
  return Object.freeze({ ...options, [TASK_BRAND]: true as const });
}

/**
 * The version an execution of `task` starts on: `task.version`, checked (a definition can be a
 * plain object in JavaScript); a bad one → `ValidationError` before anything is persisted.
 */
export function versionOf(task: { name: string; version?: unknown }): string | undefined {
  if (task.version !== undefined) assertId(task.version, `Task "${task.name}" version`);
  return task.version as string | undefined;
}

/** True for values made by {@link defineTask} (used to discover tasks in loaded modules). */
export function isTaskDefinition(value: unknown): value is TaskDefinition {
  return (
    typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[TASK_BRAND] === true
  );
}
