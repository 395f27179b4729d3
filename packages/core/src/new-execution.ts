import { type Duration, toMillis } from "./duration.js";
import { ValidationError } from "./errors.js";
import { type ConcurrencyGroup, concurrencyKeyOf } from "./flow/concurrency.js";
import { checkPriority } from "./flow/priority.js";
import { toJsonText } from "./json.js";
import type { NewExecution } from "./scheduler/client-verbs.js";

/** The timing and ordering options of a start (`StartOptions` without the transaction). */
export interface StartTiming {
  runAt?: Date;
  delay?: Duration;
  priority?: number;
}

/**
 * The store input of one start, from an input already validated against the task's schema: the
 * concurrency key, the JSON text (size and depth checked), the due time and the priority.
 */
export function toNewExecution(
  executionId: string,
  taskName: string,
  input: unknown,
  options: StartTiming,
  concurrency: ConcurrencyGroup | undefined,
  now: Date,
  maxPayloadBytes: number,
): NewExecution {
  const concurrencyKey = concurrency ? concurrencyKeyOf(concurrency, input) : undefined;
  const payload = toJsonText(input, "The input", maxPayloadBytes) ?? "null";
  const runAt =
    options.runAt ??
    new Date(now.getTime() + (options.delay === undefined ? 0 : toMillis(options.delay, "delay")));
  if (!(runAt instanceof Date) || Number.isNaN(runAt.getTime())) {
    throw new ValidationError("runAt is not a valid date.");
  }
  const priority = checkPriority(options.priority);
  return {
    executionId,
    taskName,
    payload,
    runAt,
    ...(priority === undefined ? {} : { priority }),
    ...(concurrencyKey === undefined ? {} : { concurrencyKey }),
  };
}
