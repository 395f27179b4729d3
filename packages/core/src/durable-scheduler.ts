import { type Duration, toMillis } from "./duration.js";
import { ValidationError } from "./errors.js";
import { type OfferEventOptions, offerEvent } from "./event-offer.js";
import { compareQueueInfo, type QueueInfo, toQueueInfo } from "./flow/queue-stats.js";
import { taskFlow } from "./flow/task-concurrency.js";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "./json.js";
import { checkStatus, type ExecutionPage, type ListOptions, listPage } from "./listing/list-page.js";
import {
  type BulkAction,
  type BulkFilter,
  type BulkOptions,
  type BulkResult,
  bulk,
} from "./operator/bulk.js";
import { type RerunOptions, type RerunResult, rerun } from "./operator/rerun.js";
import { PauseRules } from "./pause-rules/pause-rules-client.js";
import { listRuns } from "./run-history.js";
import type { Scheduler } from "./scheduler/scheduler.js";
import { type ExecutionStatus, isTerminal, TERMINAL_STATUSES } from "./scheduler/vocabularies.js";
import { Schedules } from "./schedules/schedules-client.js";
import { type StartManyItem, type StartManyResult, startMany } from "./start-many.js";
import { type ScheduleResult, type StartOptions, startExecution } from "./start-path.js";
import type { DurableExecutionStatus, RunInfo } from "./status.js";
import { readStatus } from "./status-explanation.js";
import { type TaskDefinition, versionOf } from "./task/define-task.js";
import type { TaskRegistry } from "./task/task-registry.js";
import { assertId, validateWith } from "./validation.js";
import {
  DEFAULT_WAIT_COMPLETION_TIMEOUT,
  resultOf,
  type WaitOptions,
  waitTerminal,
} from "./wait-completion.js";
import { toWorkerInfo, type WorkerInfo } from "./workers/worker-info.js";

export type { ScheduleResult, StartOptions } from "./start-path.js";
export { DEFAULT_WAIT_COMPLETION_TIMEOUT, type WaitOptions } from "./wait-completion.js";

export interface DurableSchedulerOptions {
  /** When given, `start` rejects unknown task names and validates input with the task's schema. */
  registry?: TaskRegistry;
  /** Size limit for inputs and event payloads (default 1 MiB). */
  maxPayloadBytes?: number;
}

/**
 * The client side: start, inspect, wait for, signal, cancel, list and purge executions. Usable from
 * any process that reaches the store, with or without a worker in it. Every method validates its
 * input first and persists nothing when it throws.
 */
export class DurableScheduler {
  readonly #scheduler: Scheduler;
  readonly #registry: TaskRegistry | undefined;
  readonly #maxPayloadBytes: number;
  /** Cron schedules: `create`, `update`, `pause`, `resume`, `trigger`, `delete`, `get`, `list`. */
  readonly schedules: Schedules;
  /** Pause rules (hold a task, or one of its steps): `create`, `list`, `delete`. */
  readonly pauseRules: PauseRules;

  constructor(scheduler: Scheduler, options: DurableSchedulerOptions = {}) {
    this.#scheduler = scheduler;
    this.#registry = options.registry;
    this.#maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.schedules = new Schedules(scheduler, this.#registry, this.#maxPayloadBytes);
    this.pauseRules = new PauseRules(scheduler);
  }

  /**
   * Starts `taskName` under `executionId` (the idempotency key): `ExecutionAlreadyExistsError` while
   * an execution with that id is not terminal; a terminal one is replaced by a new run. It starts on
   * the version of the task last registered in the registry (unversioned without a registry);
   * `startFor(task)` starts on `task.version`. With `debounce` the result may name another
   * execution (see {@link StartOptions.debounce}).
   *
   * Concurrent starts of one process (without `transaction` or `debounce`) are coalesced: those
   * made in one tick, or while earlier ones are being written, go to the store as one
   * `createExecutions` (one statement and commit), each still answered as if alone (see
   * `StartBatcher`).
   */
  async start(
    executionId: string,
    taskName: string,
    data: unknown,
    options: StartOptions = {},
  ): Promise<ScheduleResult> {
    assertId(executionId, "executionId");
    assertId(taskName, "task name");
    const task = this.#registry?.get(taskName);
    const input = task?.input ? await validateWith(task.input, data, `Input of task "${taskName}"`) : data;
    return startExecution(this.#scheduler, this.#maxPayloadBytes, {
      executionId,
      taskName,
      input,
      options,
      flow: task,
      version: task?.version,
    });
  }

  /** Typed start: validates `data` with `task.input` before anything is persisted. */
  async startFor<D, O>(
    task: TaskDefinition<D, O>,
    executionId: string,
    data: D,
    options: StartOptions = {},
  ): Promise<ScheduleResult> {
    assertId(executionId, "executionId");
    const input = task.input ? await validateWith(task.input, data, `Input of task "${task.name}"`) : data;
    const version = versionOf(task);
    return startExecution(this.#scheduler, this.#maxPayloadBytes, {
      executionId,
      taskName: task.name,
      input,
      options,
      flow: taskFlow(task.name, task),
      version,
    });
  }

  /**
   * Starts many executions in one store write. Every item is validated first (id, task, input,
   * payload, a repeated id); an invalid one is answered `"invalid"` with its error and persists
   * nothing, without stopping the others. Each valid item keeps `start`'s idempotency: `"created"`
   * (a new execution, or a new run replacing a terminal one) or `"exists"` (a non-terminal
   * execution holds the id; nothing changed, no error). Results are in input order.
   */
  startMany(items: readonly StartManyItem[]): Promise<StartManyResult[]> {
    return startMany(this.#scheduler, this.#registry, this.#maxPayloadBytes, items);
  }

  /**
   * The execution's status with its steps and mailbox; never blocks. `run` picks an earlier run of
   * the id (kept when a start replaced a terminal execution); unknown run → `RunNotFoundError`.
   */
  async status(executionId: string, options: { run?: number } = {}): Promise<DurableExecutionStatus> {
    assertId(executionId, "executionId");
    return readStatus(this.#scheduler, this.#registry, executionId, options.run);
  }

  /**
   * Per concurrency group (a queue's or a task's, per key) and per task without a limit: the
   * executions running (unexpired leases), due and delayed, with the limit when this client's
   * registry knows it. Queues first, then tasks, by name and key.
   */
  async queueStats(): Promise<QueueInfo[]> {
    const counts = await this.#scheduler.queueStats(this.#scheduler.clock.now());
    return counts.map((count) => toQueueInfo(count, this.#registry)).sort(compareQueueInfo);
  }

  /** The registered workers, ordered by id; one whose heartbeat is older than its lease is `gone`. */
  async listWorkers(): Promise<WorkerInfo[]> {
    const now = this.#scheduler.clock.now();
    return (await this.#scheduler.listWorkers()).map((record) => toWorkerInfo(record, now));
  }

  /** The runs of the id, newest first (the current one included); unknown id → `ExecutionNotFoundError`. */
  async listRuns(executionId: string): Promise<RunInfo[]> {
    assertId(executionId, "executionId");
    return listRuns(this.#scheduler, executionId);
  }

  /** Resolves with the status once terminal; `WaitTimeoutError` after `timeout`. */
  wait(executionId: string, options: WaitOptions): Promise<DurableExecutionStatus> {
    return waitTerminal(this.#scheduler, executionId, options);
  }

  /** The result of a completed execution; `ExecutionFailedError` / `ExecutionCancelledError` otherwise. */
  async waitCompletion<T = unknown>(executionId: string, options: WaitOptions): Promise<T> {
    return resultOf<T>(this.#scheduler, executionId, await this.wait(executionId, options));
  }

  /** `waitCompletion` capped at {@link DEFAULT_WAIT_COMPLETION_TIMEOUT} (30 s), as in the seeds. */
  waitCompletionWithTimeout<T = unknown>(
    executionId: string,
    options: Omit<WaitOptions, "timeout"> = {},
  ): Promise<T> {
    return this.waitCompletion<T>(executionId, { ...options, timeout: DEFAULT_WAIT_COMPLETION_TIMEOUT });
  }

  /** Typed `waitCompletion`; the output is validated with `task.output`. */
  async waitFor<D, O>(task: TaskDefinition<D, O>, executionId: string, options: WaitOptions): Promise<O> {
    const output = await this.waitCompletion<O>(executionId, options);
    return task.output ? validateWith(task.output, output, `Output of task "${task.name}"`) : output;
  }

  async startAndWaitFor<D, O>(
    task: TaskDefinition<D, O>,
    executionId: string,
    data: D,
    options: WaitOptions,
  ): Promise<O> {
    await this.startFor(task, executionId, data);
    return this.waitFor(task, executionId, options);
  }

  /**
   * Cancels at once, with its parallel children and its non-detached child executions
   * (recursively); `false` when already terminal.
   */
  async cancel(executionId: string): Promise<boolean> {
    assertId(executionId, "executionId");
    return this.#scheduler.cancelExecution(executionId, this.#scheduler.clock.now());
  }

  /**
   * Runs a failed or cancelled execution again from its first step that did not complete: completed
   * steps are replayed, not re-run. Any other status → `ExecutionNotRetryableError`; unknown id →
   * `ExecutionNotFoundError`.
   */
  async retry(executionId: string): Promise<void> {
    assertId(executionId, "executionId");
    await this.#scheduler.restartExecution(executionId, this.#scheduler.clock.now());
  }

  /**
   * Starts a new execution of the same task whose history is this one's settled steps before
   * `fromStep`: those are replayed, `fromStep` and everything after it run again (with `data` as
   * the new input when given). The original is untouched; the new one's status names it in
   * `rerunOf`. Unknown id → `ExecutionNotFoundError`; no such step → `StepNotFoundError`;
   * `newId` taken → `ExecutionAlreadyExistsError`.
   */
  rerun(executionId: string, options: RerunOptions): Promise<RerunResult> {
    return rerun(this.#scheduler, this.#registry, this.#maxPayloadBytes, executionId, options);
  }

  /**
   * Pauses a pending, waiting or running execution: it is not claimed until `resume`; a running one
   * stops at its next checkpoint (that write is refused). Pausing a paused one changes nothing;
   * a finished one → `ExecutionNotPausableError`.
   */
  async pause(executionId: string): Promise<void> {
    assertId(executionId, "executionId");
    await this.#scheduler.pauseExecution(executionId, this.#scheduler.clock.now());
  }

  /** Makes a paused execution due now; any other status → `ExecutionNotPausedError`. */
  async resume(executionId: string): Promise<void> {
    assertId(executionId, "executionId");
    await this.#scheduler.resumeExecution(executionId, this.#scheduler.clock.now());
  }

  /**
   * Puts an event in the execution's mailbox and wakes it if it waits for that name. A repeated
   * `idempotencyKey` is a no-op answered `"duplicate"`. `startIfMissing` creates the execution in
   * the same store transaction when it does not exist or is terminal (signal-with-start);
   * `transaction` writes through your open transaction (see {@link OfferEventOptions}).
   */
  offerEvent(
    executionId: string,
    eventName: string,
    payload: unknown,
    options: OfferEventOptions = {},
  ): Promise<{ status: "delivered" | "duplicate" }> {
    return offerEvent(
      this.#scheduler,
      this.#registry,
      this.#maxPayloadBytes,
      { executionId, eventName, payload },
      options,
    ).then((status) => ({ status }));
  }

  /**
   * Newest first (`createdAt` desc, then id): the executions of one page. Prefer
   * {@link listExecutionsPage}, whose `nextCursor` pages without repeats or gaps.
   */
  async listExecutions(options: ListOptions = {}): Promise<DurableExecutionStatus[]> {
    return (await listPage(this.#scheduler, options)).executions;
  }

  /**
   * One page, newest first (`createdAt` desc, then id), and the `nextCursor` of the next one
   * (absent on the last page). Keyset pagination: executions started while you page never make a
   * page repeat or skip a row. Bad filter, limit or cursor → `ValidationError`.
   */
  listExecutionsPage(options: ListOptions = {}): Promise<ExecutionPage> {
    return listPage(this.#scheduler, options);
  }

  /**
   * Applies `cancel`, `retry`, `pause` or `resume` to every execution the filter selects (at least
   * one of status, task, time range), each through its own atomic action: an execution whose state
   * does not allow it, or changed meanwhile, is skipped and counted by reason. Executions created
   * after the call began are left alone. `dryRun` counts and changes nothing.
   */
  bulk(action: BulkAction, filter: BulkFilter, options: BulkOptions = {}): Promise<BulkResult> {
    return bulk(this.#scheduler, action, filter, options);
  }

  /** Deletes terminal executions (and their steps and events) finished before `olderThan` ago / that date. */
  async purge(options: { olderThan: Duration | Date; statuses?: ExecutionStatus[] }): Promise<number> {
    const now = this.#scheduler.clock.now();
    const olderThan =
      options.olderThan instanceof Date
        ? options.olderThan
        : new Date(now.getTime() - toMillis(options.olderThan, "olderThan"));
    const statuses = options.statuses ?? [...TERMINAL_STATUSES];
    for (const status of statuses) {
      if (!isTerminal(checkStatus(status)))
        throw new ValidationError(`purge only deletes terminal executions, not "${status}".`);
    }
    return this.#scheduler.purge({ olderThan, statuses });
  }
}
