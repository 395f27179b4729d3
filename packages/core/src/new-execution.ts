import { type Duration, toMillis } from "./duration.js";
import { ValidationError } from "./errors.js";
import { checkPriority } from "./flow/priority.js";
import { flowKeys, type TaskFlow } from "./flow/task-concurrency.js";
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
 * concurrency and rate keys, the JSON text (size and depth checked), the due time and the priority.
 */
export function toNewExecution(
  executionId: string,
  taskName: string,
  input: unknown,
  options: StartTiming,
  flow: TaskFlow | undefined,
  now: Date,
  maxPayloadBytes: number,
): NewExecution {
  const keys = flowKeys(flow, input);
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
    ...keys,
  };
}
