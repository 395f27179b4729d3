import { randomUUID } from "node:crypto";
import { ExecutionNotFoundError, ValidationError } from "../errors.js";
import { flowKeys } from "../flow/task-concurrency.js";
import { captureTraceContext } from "../hooks/trace-context.js";
import { toJsonText } from "../json.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import type { TaskRegistry } from "../task/task-registry.js";
import { assertId, validateWith } from "../validation.js";

/** Options of `DurableScheduler.rerun`. */
export interface RerunOptions {
  /** Name of the step to run again (with its `#n` suffix, as in `status().steps`); every step before it is kept. */
  fromStep: string;
  /** The new execution's id (default: a random UUID). It must not exist yet. */
  newId?: string;
  /** A new input (validated with the task's schema when the scheduler has a registry); default: the original's. */
  data?: unknown;
}

/** What a rerun created. */
export interface RerunResult {
  executionId: string;
  taskName: string;
  rerunOf: string;
  fromStep: string;
}

/**
 * Validates a rerun and hands it to the store's atomic `forkExecution`. Nothing is written when it
 * throws: `ValidationError` for bad input, `ExecutionNotFoundError`, `StepNotFoundError`,
 * `ExecutionAlreadyExistsError` from the store.
 */
export async function rerun(
  scheduler: Scheduler,
  registry: TaskRegistry | undefined,
  maxPayloadBytes: number,
  executionId: string,
  options: RerunOptions,
): Promise<RerunResult> {
  assertId(executionId, "executionId");
  assertId(options?.fromStep, "fromStep");
  const newId = options.newId ?? randomUUID();
  assertId(newId, "newId");
  if (newId === executionId)
    throw new ValidationError("newId must differ from the id of the rerun execution.");
  let payload: string | undefined;
  let keys: ReturnType<typeof flowKeys> = {};
  if (options.data !== undefined) {
    const source = await scheduler.getExecution(executionId);
    if (!source) throw new ExecutionNotFoundError(executionId);
    const { taskName, version } = source.execution;
    // The rerun keeps the source's version (its history was written by that code).
    const task = registry?.findVersion(taskName, version) ?? registry?.find(taskName);
    const input = task?.input
      ? await validateWith(task.input, options.data, `Input of task "${taskName}"`)
      : options.data;
    payload = toJsonText(input, "The input", maxPayloadBytes) ?? "null";
    // A new input may fall in another group (`key(data)`); unknown task: the source's groups.
    keys = flowKeys(task, input);
  }
  // The rerun traces under its caller, as a start does (not under the source's starter).
  const traceContext = captureTraceContext();
  const record = await scheduler.forkExecution(
    {
      sourceId: executionId,
      executionId: newId,
      fromStep: options.fromStep,
      ...(payload ? { payload } : {}),
      ...keys,
      ...(traceContext === undefined ? {} : { traceContext }),
    },
    scheduler.clock.now(),
  );
  return {
    executionId: record.executionId,
    taskName: record.taskName,
    rerunOf: executionId,
    fromStep: options.fromStep,
  };
}
