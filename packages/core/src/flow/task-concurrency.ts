import { ValidationError } from "../errors.js";
import { type ConcurrencyGroup, concurrencyGroup, concurrencyKeyOf } from "./concurrency.js";
import { queueGroups } from "./define-queue.js";
import { type RateGroup, rateGroup, rateKeyOf } from "./rate-limit.js";

/** The fleet-wide limits a task's executions count against (its queue's, or its own). */
export interface TaskFlow {
  concurrency?: ConcurrencyGroup;
  rateLimit?: RateGroup;
}

/**
 * The limits of a task: its queue's, or its own `concurrency` / `rateLimit`. A `queue` not made by
 * `defineQueue`, or a queue with a task-level limit → `ValidationError`.
 */
export function taskFlow(
  name: string,
  options: { concurrency?: unknown; rateLimit?: unknown; queue?: unknown },
): TaskFlow {
  if (options.queue !== undefined) {
    const groups = queueGroups(options.queue);
    if (groups === undefined) throw new ValidationError(`Task "${name}": queue must come from defineQueue.`);
    if (options.concurrency !== undefined || options.rateLimit !== undefined) {
      throw new ValidationError(`Task "${name}": give concurrency / rateLimit or queue, not both.`);
    }
    return groups;
  }
  const scope = `task:${name}`;
  const what = `Task "${name}"`;
  return {
    ...(options.concurrency === undefined
      ? {}
      : { concurrency: concurrencyGroup(scope, options.concurrency, what) }),
    ...(options.rateLimit === undefined ? {} : { rateLimit: rateGroup(scope, options.rateLimit, what) }),
  };
}

/** The concurrency and rate keys an execution of a task with `flow` is persisted with, from its input. */
export function flowKeys(
  flow: TaskFlow | undefined,
  data: unknown,
): { concurrencyKey?: string; rateKey?: string } {
  const concurrencyKey = flow?.concurrency ? concurrencyKeyOf(flow.concurrency, data) : undefined;
  const rateKey = flow?.rateLimit ? rateKeyOf(flow.rateLimit, data) : undefined;
  return {
    ...(concurrencyKey === undefined ? {} : { concurrencyKey }),
    ...(rateKey === undefined ? {} : { rateKey }),
  };
}
