/**
 * The start path of `DurableScheduler.start` / `startFor`: from a validated input to the stored
 * execution, through one of three writes (a debounced start, the start batcher, or a lone
 * `createExecution`, which takes the caller's transaction).
 */
import type { Duration } from "./duration.js";
import { checkDebounce, type Debounce, type DebounceOptions } from "./flow/debounce.js";
import type { TaskFlow } from "./flow/task-concurrency.js";
import { captureTraceContext } from "./hooks/trace-context.js";
import { toNewExecution } from "./new-execution.js";
import type { NewExecution } from "./scheduler/client-verbs.js";
import type { DebounceInput } from "./scheduler/debounce.js";
import type { Scheduler } from "./scheduler/scheduler.js";
import type { ExecutionStatus } from "./scheduler/vocabularies.js";
import { startBatcherOf } from "./start-batcher.js";
import { createExecution } from "./transactional-start.js";

export interface StartOptions {
  /** Start at this time instead of now. */
  runAt?: Date;
  /** Start after this delay (ignored when `runAt` is given). */
  delay?: Duration;
  /** Claimed before due work of lower priority: an integer ≥ 0, higher first (default 0). */
  priority?: number;
  /**
   * Collapse starts of this task with the same `debounce.key`: the execution runs `period` after
   * the last start (at most `timeout` after the first), with the last start's data; the result
   * names the execution that will run (your `executionId` only when this start created it).
   * Not with `runAt`, `delay` or `transaction` (`ValidationError`). See {@link DebounceOptions}.
   */
  debounce?: DebounceOptions;
  /**
   * Your open transaction (Postgres: a `pg` client inside `BEGIN`; SQLite: the store's own
   * better-sqlite3 handle inside `BEGIN`): the execution exists iff you commit it.
   */
  transaction?: unknown;
}

export interface ScheduleResult {
  executionId: string;
  taskName: string;
  /** The task version it starts on; absent = unversioned. */
  version?: string;
  status: ExecutionStatus;
  scheduledAt: Date;
  createdAt: Date;
}

/** One start, its id and input already validated. */
export interface StartRequest {
  executionId: string;
  taskName: string;
  input: unknown;
  options: StartOptions;
  /** The task's concurrency and rate groups, when the caller knows the task. */
  flow: TaskFlow | undefined;
  version: string | undefined;
}

/** Persists one start (see `DurableScheduler.start` for the batching and debounce rules). */
export async function startExecution(
  scheduler: Scheduler,
  maxPayloadBytes: number,
  { executionId, taskName, input, options, flow, version }: StartRequest,
): Promise<ScheduleResult> {
  const now = scheduler.clock.now();
  const debounce = checkDebounce(options.debounce, options);
  const traceContext = captureTraceContext();
  const timing = debounce ? { ...options, delay: debounce.periodMs } : options;
  const execution = {
    ...toNewExecution(executionId, taskName, input, timing, flow, now, maxPayloadBytes),
    ...(traceContext === undefined ? {} : { traceContext }),
    ...(version === undefined ? {} : { version }),
  };
  const record = debounce
    ? (await scheduler.debounceExecution(debounceInput(execution, debounce), now)).execution
    : joinsBatch(options)
      ? await startBatcherOf(scheduler).start(execution, now)
      : await createExecution(scheduler, execution, now, options);
  return {
    executionId: record.executionId,
    taskName: record.taskName,
    ...(record.version === undefined ? {} : { version: record.version }),
    status: record.status,
    scheduledAt: record.scheduledAt,
    createdAt: record.createdAt,
  };
}

function debounceInput(execution: NewExecution, debounce: Debounce): DebounceInput {
  const { key, timeoutMs } = debounce;
  return timeoutMs === undefined ? { execution, key } : { execution, key, timeoutMs };
}

/** The `StartOptions` a `createExecutions` item carries: a start with any other goes alone. */
const BATCHABLE_OPTIONS: ReadonlySet<string> = new Set(["runAt", "delay", "priority"]);

function joinsBatch(options: StartOptions): boolean {
  return Object.entries(options).every(([key, value]) => value === undefined || BATCHABLE_OPTIONS.has(key));
}
