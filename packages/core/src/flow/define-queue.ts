import { ValidationError } from "../errors.js";
import { assertId } from "../validation.js";
import { type ConcurrencyGroup, type ConcurrencyOptions, concurrencyGroup } from "./concurrency.js";
import { type RateGroup, type RateLimitOptions, rateGroup } from "./rate-limit.js";

export interface QueueOptions {
  /** Names the queue; executions of its tasks are persisted with it. */
  name: string;
  /** Shared by every task of the queue: at most `limit` of their executions run at once, fleet-wide. */
  // biome-ignore lint/suspicious/noExplicitAny: the key function sees the input of any task of the queue
  concurrency?: ConcurrencyOptions<any>;
  /** Shared by every task of the queue: at most `limit` of their executions start per `period`. */
  // biome-ignore lint/suspicious/noExplicitAny: the key function sees the input of any task of the queue
  rateLimit?: RateLimitOptions<any>;
}

const QUEUE_BRAND = Symbol.for("zart.queue");

/** The checked limits of a queue. */
interface QueueGroups {
  concurrency?: ConcurrencyGroup;
  rateLimit?: RateGroup;
}

/** A queue made by {@link defineQueue}, for `defineTask({ queue })`. */
export interface QueueDefinition extends QueueOptions {
  readonly [QUEUE_BRAND]: QueueGroups;
}

/**
 * Defines a named queue shared by several tasks: `concurrency` and `rateLimit` bound their
 * executions together. Bad options, or neither → `ValidationError`.
 */
export function defineQueue(options: QueueOptions): QueueDefinition {
  assertId(options?.name, "queue name");
  const what = `Queue "${options.name}"`;
  if (options.concurrency === undefined && options.rateLimit === undefined) {
    throw new ValidationError(`${what}: give concurrency, rateLimit or both.`);
  }
  const scope = `queue:${options.name}`;
  const groups: QueueGroups = {
    ...(options.concurrency === undefined
      ? {}
      : { concurrency: concurrencyGroup(scope, options.concurrency, what) }),
    ...(options.rateLimit === undefined ? {} : { rateLimit: rateGroup(scope, options.rateLimit, what) }),
  };
  return Object.freeze({ ...options, [QUEUE_BRAND]: groups });
}

/** The checked limits of a queue made by {@link defineQueue}; `undefined` for anything else. */
export function queueGroups(queue: unknown): QueueGroups | undefined {
  return typeof queue === "object" && queue !== null
    ? (queue as Record<symbol, QueueGroups | undefined>)[QUEUE_BRAND]
    : undefined;
}
