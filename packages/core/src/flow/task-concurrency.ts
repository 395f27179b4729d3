import { ValidationError } from "../errors.js";
import { type ConcurrencyGroup, concurrencyGroup } from "./concurrency.js";
import { queueGroup } from "./define-queue.js";

/**
 * The concurrency group a task's executions count in: its queue's, its own `concurrency`, or none.
 * A `queue` not made by `defineQueue`, or both options at once → `ValidationError`.
 */
export function taskConcurrency(
  name: string,
  options: { concurrency?: unknown; queue?: unknown },
): ConcurrencyGroup | undefined {
  if (options.queue !== undefined) {
    const group = queueGroup(options.queue);
    if (group === undefined) throw new ValidationError(`Task "${name}": queue must come from defineQueue.`);
    if (options.concurrency !== undefined) {
      throw new ValidationError(`Task "${name}": give concurrency or queue, not both.`);
    }
    return group;
  }
  if (options.concurrency === undefined) return undefined;
  return concurrencyGroup(`task:${name}`, options.concurrency, `Task "${name}"`);
}
