import { ExecutionAlreadyExistsError, ValidationError } from "./errors.js";
import { checkDebounce, type Debounce, type DebounceOptions } from "./flow/debounce.js";
import { type TaskFlow, taskFlow } from "./flow/task-concurrency.js";
import { captureTraceContext } from "./hooks/trace-context.js";
import { type StartTiming, toNewExecution } from "./new-execution.js";
import type { NewExecution } from "./scheduler/client-verbs.js";
import type { Scheduler } from "./scheduler/scheduler.js";
import type { CreateOutcome } from "./scheduler/vocabularies.js";
import { type TaskDefinition, versionOf } from "./task/define-task.js";
import type { TaskRegistry } from "./task/task-registry.js";
import { assertId, type StandardSchema, validateWith } from "./validation.js";

/** Items one `startMany` call takes at most. */
export const MAX_START_MANY_ITEMS = 10_000;

export interface StartManyItem {
  executionId: string;
  /** The task's name, or its definition (its input schema and concurrency apply, as in `startFor`). */
  // biome-ignore lint/suspicious/noExplicitAny: definitions of any data type are accepted
  taskName: string | TaskDefinition<any, any, any>;
  data: unknown;
  /** As `start`'s options; a batch has no `transaction`. */
  options?: StartTiming & { debounce?: DebounceOptions };
}

/**
 * `invalid`: the item failed validation and nothing was written for it (see `error`).
 * `debounced`: a debounced item collapsed into an execution a start with its key created before.
 */
export type StartManyOutcome = CreateOutcome | "debounced" | "invalid";

export interface StartManyResult {
  /** The item's id; for a debounced item, the id of the execution that will run. */
  executionId: string;
  outcome: StartManyOutcome;
  /** Why an `invalid` item was refused (`ValidationError`, `TaskNotRegisteredError`, …). */
  error?: Error;
}

/**
 * Validates every item, then creates the valid ones in one store call (`createExecutions`): an
 * invalid item never stops the others and persists nothing. A repeated id in the batch makes the
 * later items invalid. Debounced items are applied after the batch, one store call each, in input
 * order (see `StartOptions.debounce`).
 */
export async function startMany(
  scheduler: Scheduler,
  registry: TaskRegistry | undefined,
  maxPayloadBytes: number,
  items: readonly StartManyItem[],
): Promise<StartManyResult[]> {
  if (!Array.isArray(items)) throw new ValidationError("startMany takes an array of items.");
  if (items.length > MAX_START_MANY_ITEMS) {
    throw new ValidationError(
      `startMany takes at most ${MAX_START_MANY_ITEMS} items; got ${items.length}. Split the batch.`,
    );
  }
  const now = scheduler.clock.now();
  // Every item traces under the caller of `startMany`, as a `start` does.
  const traceContext = captureTraceContext();
  const firstIndex = new Map<unknown, number>();
  const results: StartManyResult[] = [];
  const valid: NewExecution[] = [];
  const validIndex: number[] = [];
  const debounced: { index: number; execution: NewExecution; debounce: Debounce }[] = [];
  for (const [index, item] of items.entries()) {
    const executionId = item?.executionId;
    try {
      const first = firstIndex.get(executionId);
      if (first !== undefined) {
        throw new ValidationError(`executionId "${executionId}" repeats item ${first} of the batch.`);
      }
      firstIndex.set(executionId, index);
      const debounce = checkDebounce(item.options?.debounce, item.options ?? {});
      const validated = await toValidInput(item, debounce, registry, now, maxPayloadBytes);
      const execution = traceContext === undefined ? validated : { ...validated, traceContext };
      if (debounce) debounced.push({ index, execution, debounce });
      else {
        valid.push(execution);
        validIndex.push(index);
      }
      results.push({ executionId, outcome: "created" });
    } catch (error) {
      results.push({ executionId, outcome: "invalid", error: error as Error });
    }
  }
  if (valid.length > 0) {
    const outcomes = await scheduler.createExecutions(valid, now);
    for (const [position, outcome] of outcomes.entries()) {
      (results[validIndex[position] as number] as StartManyResult).outcome = outcome;
    }
  }
  for (const { index, execution, debounce } of debounced) {
    results[index] = await debounceItem(scheduler, execution, debounce, now);
  }
  return results;
}

async function debounceItem(
  scheduler: Scheduler,
  execution: NewExecution,
  { key, timeoutMs }: Debounce,
  now: Date,
): Promise<StartManyResult> {
  try {
    const input = timeoutMs === undefined ? { execution, key } : { execution, key, timeoutMs };
    const { execution: record, starts } = await scheduler.debounceExecution(input, now);
    return { executionId: record.executionId, outcome: starts === 1 ? "created" : "debounced" };
  } catch (error) {
    if (error instanceof ExecutionAlreadyExistsError)
      return { executionId: execution.executionId, outcome: "exists" };
    throw error;
  }
}

async function toValidInput(
  item: StartManyItem,
  debounce: Debounce | undefined,
  registry: TaskRegistry | undefined,
  now: Date,
  maxPayloadBytes: number,
): Promise<NewExecution> {
  if (typeof item !== "object" || item === null) throw new ValidationError("An item must be an object.");
  assertId(item.executionId, "executionId");
  const { name, input, flow, version } = resolveTask(item.taskName, registry);
  const data = input ? await validateWith(input, item.data, `Input of task "${name}"`) : item.data;
  const execution = toNewExecution(
    item.executionId,
    name,
    data,
    debounce ? { ...item.options, delay: debounce.periodMs } : (item.options ?? {}),
    flow,
    now,
    maxPayloadBytes,
  );
  return version === undefined ? execution : { ...execution, version };
}

interface ResolvedTask {
  name: string;
  input: StandardSchema | undefined;
  flow: TaskFlow | undefined;
  version: string | undefined;
}

function resolveTask(task: StartManyItem["taskName"], registry: TaskRegistry | undefined): ResolvedTask {
  if (typeof task === "object" && task !== null) {
    assertId(task.name, "task name");
    const version = versionOf(task);
    return { name: task.name, input: task.input, flow: taskFlow(task.name, task), version };
  }
  assertId(task, "task name");
  // As `start`: the version of the task last registered under that name.
  const registered = registry?.get(task);
  return {
    name: task,
    input: registered?.input,
    flow: registered,
    version: registered?.version,
  };
}
