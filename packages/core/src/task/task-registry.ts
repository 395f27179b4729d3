import { toMillis } from "../duration.js";
import type { TaskContext } from "../engine/task-context.js";
import { TaskNotRegisteredError, ValidationError } from "../errors.js";
import type { ConcurrencyGroup } from "../flow/concurrency.js";
import type { RateGroup } from "../flow/rate-limit.js";
import { taskFlow } from "../flow/task-concurrency.js";
import { RetryConfig } from "../retry.js";
import { claimKey } from "../scheduler/claim-keys.js";
import type { RateLimit, TaskVersion } from "../scheduler/claims.js";
import { assertId, type StandardSchema } from "../validation.js";
import type { EventSchemas, TaskDefinition, TaskHandler } from "./define-task.js";

/** A task as the engine runs it, with defaults applied. */
export interface RegisteredTask {
  name: string;
  /** `TaskOptions.version`; absent = unversioned. */
  version?: string;
  run(ctx: TaskContext, data: unknown): Promise<unknown>;
  maxRetries: number;
  timeoutMs?: number;
  retry: RetryConfig;
  input?: StandardSchema;
  output?: StandardSchema;
  /** Declared events (see `TaskOptions.events`). */
  events?: EventSchemas;
  /** The fleet-wide concurrency limit its executions count against (its own or its queue's). */
  concurrency?: ConcurrencyGroup;
  /** The fleet-wide rate limit its starts count against (its own or its queue's). */
  rateLimit?: RateGroup;
}

/** `task "name" version "v"` (or `(unversioned)`), for messages naming the code that ran. */
export function describeTask(task: { name: string; version?: string }): string {
  return `task "${task.name}" ${task.version === undefined ? "(unversioned)" : `version "${task.version}"`}`;
}

const DEFAULT_TASK_RETRY = RetryConfig.exponential(Number.MAX_SAFE_INTEGER, 1_000, { maxDelay: 3_600_000 });

/**
 * Maps task names to their handlers. A name can be registered once per version (and once without
 * one); registering a (name, version) twice throws. A lookup by name alone finds the last one
 * registered under that name: the version a start by name uses.
 */
export class TaskRegistry {
  /** The last registration per name. */
  readonly #tasks = new Map<string, RegisteredTask>();
  /** Every registration, by `claimKey(name, version)`. */
  readonly #versions = new Map<string, RegisteredTask>();

  /** `register(defineTask(...))` or `register("name", handler)`. Returns `this` for chaining. */
  // biome-ignore lint/suspicious/noExplicitAny: handlers of any data type are accepted
  register(task: TaskDefinition<any, any, any>): this;
  // biome-ignore lint/suspicious/noExplicitAny: handlers of any data type are accepted
  register(name: string, handler: TaskHandler<any, any, any>): this;
  // biome-ignore lint/suspicious/noExplicitAny: handlers of any data type are accepted
  register(taskOrName: TaskDefinition<any, any, any> | string, handler?: TaskHandler<any, any, any>): this {
    const name = typeof taskOrName === "string" ? taskOrName : taskOrName.name;
    const source = typeof taskOrName === "string" ? handler : taskOrName;
    assertId(name, "task name");
    if (!source || typeof source.run !== "function") {
      throw new ValidationError(`Task "${name}" needs a run(ctx, data) method.`);
    }
    const version = (source as Partial<TaskDefinition>).version;
    if (version !== undefined) assertId(version, `Task "${name}" version`);
    if (this.#versions.has(claimKey(name, version))) {
      throw new ValidationError(
        version === undefined
          ? `A task named "${name}" is already registered.`
          : `Task "${name}" version "${version}" is already registered.`,
      );
    }
    const maxRetries = source.maxRetries ?? 0;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw new ValidationError(`Task "${name}": maxRetries must be a non-negative integer.`);
    }
    const definition = source as Partial<TaskDefinition>;
    const { concurrency, rateLimit } = taskFlow(name, definition);
    const task: RegisteredTask = {
      name,
      ...(version === undefined ? {} : { version }),
      run: (ctx, data) => source.run(ctx, data),
      maxRetries,
      ...(source.timeout === undefined
        ? {}
        : { timeoutMs: toMillis(source.timeout, `task "${name}" timeout`) }),
      retry: source.retry ?? DEFAULT_TASK_RETRY,
      ...(definition.input ? { input: definition.input } : {}),
      ...(definition.output ? { output: definition.output } : {}),
      ...(definition.events ? { events: checkEvents(name, definition.events) } : {}),
      ...(concurrency ? { concurrency } : {}),
      ...(rateLimit ? { rateLimit } : {}),
    };
    this.#versions.set(claimKey(name, version), task);
    this.#tasks.set(name, task);
    return this;
  }

  /** The task last registered under `name` (whatever its version), or `undefined`. */
  find(name: string): RegisteredTask | undefined {
    return this.#tasks.get(name);
  }

  /** The task registered under `name` with exactly `version` (`undefined`: without one). */
  findVersion(name: string, version: string | undefined): RegisteredTask | undefined {
    return this.#versions.get(claimKey(name, version));
  }

  /** The task last registered under `name`; throws `TaskNotRegisteredError`. */
  get(name: string): RegisteredTask {
    const task = this.#tasks.get(name);
    if (!task) throw new TaskNotRegisteredError(name);
    return task;
  }

  has(name: string): boolean {
    return this.#tasks.has(name);
  }

  /** True when some registered task declares `events` (clients then validate offers). */
  declaresEvents(): boolean {
    return [...this.#versions.values()].some((task) => task.events !== undefined);
  }

  /** The concurrency limit of each registered task that has one, by name (`ClaimRequest.concurrencyLimits`). */
  concurrencyLimits(): Record<string, number> | undefined {
    const limited = [...this.#tasks.values()].filter((task) => task.concurrency !== undefined);
    if (limited.length === 0) return undefined;
    return Object.fromEntries(limited.map((task) => [task.name, task.concurrency?.limit as number]));
  }

  /** The rate limit of each registered task that has one, by name (`ClaimRequest.rateLimits`). */
  rateLimits(): Record<string, RateLimit> | undefined {
    const limited = [...this.#tasks.values()].flatMap((task) =>
      task.rateLimit ? [[task.name, { limit: task.rateLimit.limit, periodMs: task.rateLimit.periodMs }]] : [],
    );
    return limited.length === 0 ? undefined : Object.fromEntries(limited);
  }

  /** Registered names, each once. */
  names(): string[] {
    return [...this.#tasks.keys()];
  }

  /** What a claim of this registry's work asks for (`ClaimRequest.taskNames` / `taskVersions`). */
  claimFilter(): { taskNames: string[]; taskVersions?: TaskVersion[] } {
    const all = [...this.#versions.values()];
    const taskVersions = all.flatMap(({ name, version }) =>
      version === undefined ? [] : [{ taskName: name, version }],
    );
    const taskNames = all.filter((task) => task.version === undefined).map((task) => task.name);
    return taskVersions.length === 0 ? { taskNames } : { taskNames, taskVersions };
  }
}

function checkEvents(task: string, events: EventSchemas): EventSchemas {
  for (const [name, schema] of Object.entries(events)) {
    assertId(name, `task "${task}" event name`);
    if (name.includes("#")) throw new ValidationError(`Task "${task}": event name "${name}" contains "#".`);
    if (typeof schema?.["~standard"]?.validate !== "function") {
      throw new ValidationError(`Task "${task}": event "${name}" needs a Standard Schema (zod, valibot, …).`);
    }
  }
  return events;
}
