import { assertId } from "../validation.js";
import { type ConcurrencyGroup, type ConcurrencyOptions, concurrencyGroup } from "./concurrency.js";

export interface QueueOptions {
  /** Names the queue; executions of its tasks are persisted with it. */
  name: string;
  /** Shared by every task of the queue: at most `limit` of their executions run at once, fleet-wide. */
  // biome-ignore lint/suspicious/noExplicitAny: the key function sees the input of any task of the queue
  concurrency: ConcurrencyOptions<any>;
}

const QUEUE_BRAND = Symbol.for("zart.queue");

/** A queue made by {@link defineQueue}, for `defineTask({ queue })`. */
export interface QueueDefinition extends QueueOptions {
  readonly [QUEUE_BRAND]: ConcurrencyGroup;
}

/**
 * Defines a named queue shared by several tasks: `concurrency` bounds their executions together.
 * Bad options → `ValidationError`.
 */
export function defineQueue(options: QueueOptions): QueueDefinition {
  assertId(options?.name, "queue name");
  const group = concurrencyGroup(`queue:${options.name}`, options.concurrency, `Queue "${options.name}"`);
  return Object.freeze({ ...options, [QUEUE_BRAND]: group });
}

/** The checked group of a queue made by {@link defineQueue}; `undefined` for anything else. */
export function queueGroup(queue: unknown): ConcurrencyGroup | undefined {
  return typeof queue === "object" && queue !== null
    ? (queue as Record<symbol, ConcurrencyGroup | undefined>)[QUEUE_BRAND]
    : undefined;
}
