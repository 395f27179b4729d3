import { type Clock, type Scheduler, systemClock } from "@zart/core";
import {
  type AwaitAnyEventInput,
  type AwaitChildrenInput,
  type AwaitEventInput,
  type ChildLease,
  type ChildOutcome,
  type ClaimRequest,
  type CompleteExecutionInput,
  type DebounceInput,
  type DispatchChildrenInput,
  type DueSchedulesRequest,
  defineCapabilities,
  type ExecutionPatch,
  type FailExecutionInput,
  type ForkExecutionInput,
  type Lease,
  type ListFilter,
  type NewExecution,
  type OfferEventInput,
  type PauseRule,
  type PendingCountsQuery,
  type PurgeFilter,
  type RateTokenRequest,
  type RetryChildInput,
  type RetryExecutionInput,
  type ScheduleListFilter,
  type ScheduleWrite,
  type StartChildInput,
  type StepWrite,
  type StoreCapabilities,
  type StoredSchedule,
  type SuspendInput,
  type TransactionalStepInput,
  type Unsubscribe,
  type WakeUp,
  type WorkerRecord,
} from "@zart/core/store";
import type Database from "better-sqlite3";
import { type Connection, openConnection } from "./db/connection.js";
import { SqliteContext } from "./db/context.js";
import { applyMigrations } from "./db/migrate.js";
import { transactionDatabaseOf } from "./db/transaction-database.js";
import type { SqliteSchedulerOptions } from "./options.js";
import { awaitAnyEvent } from "./verbs/await-any-event.js";
import { awaitEvent } from "./verbs/await-event.js";
import { cancelExecution } from "./verbs/cancel-execution.js";
import { awaitChildExecutions, startChildExecution } from "./verbs/child-executions.js";
import { claim } from "./verbs/claim.js";
import { countDue } from "./verbs/count-due.js";
import { createExecution, createExecutionInTransaction } from "./verbs/create-execution.js";
import { createExecutions } from "./verbs/create-executions.js";
import { debounceExecution } from "./verbs/debounce-execution.js";
import { dispatchChildren } from "./verbs/dispatch-children.js";
import { completeExecution, failExecution, retryExecution } from "./verbs/finish-execution.js";
import { forkExecution } from "./verbs/fork-execution.js";
import { releaseLease, renewLease } from "./verbs/lease.js";
import { offerEvent, offerEventInTransaction } from "./verbs/offer-event.js";
import { pauseExecution, resumeExecution } from "./verbs/pause-execution.js";
import { createPauseRule, deletePauseRule, listPauseRules } from "./verbs/pause-rules.js";
import { pendingCounts, queueStats } from "./verbs/queue-stats.js";
import { getExecution, getRun, listExecutions, listRuns, purge } from "./verbs/read-executions.js";
import { restartExecution } from "./verbs/restart-execution.js";
import { saveStep } from "./verbs/save-step.js";
import {
  createSchedule,
  deleteSchedule,
  dueSchedules,
  getSchedule,
  listSchedules,
  writeSchedule,
} from "./verbs/schedules.js";
import { retryChild, settleChild } from "./verbs/settle-child.js";
import { suspend } from "./verbs/suspend.js";
import { takeRateToken } from "./verbs/take-rate-token.js";
import { runTransactionalStep } from "./verbs/transactional-step.js";
import { heartbeatWorker, listWorkers, removeWorker } from "./verbs/workers.js";

/**
 * The `Scheduler` contract on SQLite (better-sqlite3 + drizzle-orm): the embedded default. Call
 * `migrate()` once before use (it is idempotent and safe to run from several processes).
 *
 * - **Transactions**: one `BEGIN IMMEDIATE` (write) or deferred (read) per verb (`SqliteContext`).
 * - **Several processes** may share one file (WAL mode): a lock held by another process is waited
 *   for up to `busyTimeoutMs`; only past it does a verb fail, with `StoreUnavailableError`.
 * - **Wake-ups** are pushed in-process at once (to every scheduler on the same file in this
 *   process); workers in other processes see the work at their next poll (`pollInterval`).
 * - **Errors**: a missing directory, a read-only or corrupt file → `StoreUnavailableError` from the
 *   constructor (or `migrate()`); driver errors never leave the store untranslated.
 */
export class SqliteScheduler implements Scheduler {
  /** Multi-process and persistent when file-backed; push in-process. */
  readonly capabilities: StoreCapabilities;
  readonly clock: Clock;
  /** The better-sqlite3 handle in use (the one passed in, or the one opened from `path`). */
  readonly database: Database.Database;
  readonly #connection: Connection;
  readonly #ctx: SqliteContext;

  /** Opens (or adopts) the database; throws `StoreUnavailableError` when it cannot be used. */
  constructor(options: SqliteSchedulerOptions) {
    this.#connection = openConnection(options);
    this.database = this.#connection.database;
    this.clock = options.clock ?? systemClock;
    const { memory, owned } = this.#connection;
    // An in-memory database we opened dies with `close()`; a passed-in handle outlives it.
    this.capabilities = defineCapabilities({
      multiProcess: !memory,
      push: true,
      persistent: !memory || !owned,
      answersOnOffer: true,
      transactionalStart: true,
      transactionalSteps: true,
    });
    this.#ctx = new SqliteContext(this.#connection, transactionDatabaseOf(options, this.database));
  }

  /** Applies the shipped migrations. Idempotent; safe when several processes call it at once. */
  async migrate(): Promise<string[]> {
    this.#ctx.ensureOpen();
    try {
      return applyMigrations(this.database);
    } catch (error) {
      throw this.#ctx.translate(error);
    }
  }

  async ping(): Promise<void> {
    await this.#ctx.read(() => this.database.prepare("SELECT 1").get());
  }

  /** Closes the database if this scheduler opened it (never a passed-in handle). Idempotent. */
  async close(): Promise<void> {
    if (!this.#ctx.close()) return;
    if (this.#connection.owned) this.database.close();
  }

  subscribe(listener: (wake: WakeUp) => void): Unsubscribe {
    this.#ctx.ensureOpen();
    return this.#ctx.wakeUps.subscribe(listener);
  }

  createExecution(input: NewExecution, now: Date) {
    return createExecution(this.#ctx, input, now);
  }
  createExecutions(inputs: readonly NewExecution[], now: Date) {
    return createExecutions(this.#ctx, inputs, now);
  }
  debounceExecution(input: DebounceInput, now: Date) {
    return debounceExecution(this.#ctx, input, now);
  }
  createExecutionInTransaction(tx: unknown, input: NewExecution, now: Date) {
    return createExecutionInTransaction(this.#ctx, tx, input, now);
  }

  offerEvent(input: OfferEventInput, now: Date) {
    return offerEvent(this.#ctx, input, now);
  }
  offerEventInTransaction(tx: unknown, input: OfferEventInput, now: Date) {
    return offerEventInTransaction(this.#ctx, tx, input, now);
  }

  cancelExecution(executionId: string, now: Date) {
    return cancelExecution(this.#ctx, executionId, now);
  }
  restartExecution(executionId: string, now: Date) {
    return restartExecution(this.#ctx, executionId, now);
  }
  forkExecution(input: ForkExecutionInput, now: Date) {
    return forkExecution(this.#ctx, input, now);
  }
  pauseExecution(executionId: string, now: Date) {
    return pauseExecution(this.#ctx, executionId, now);
  }
  resumeExecution(executionId: string, now: Date) {
    return resumeExecution(this.#ctx, executionId, now);
  }

  getExecution(executionId: string) {
    return getExecution(this.#ctx, executionId);
  }
  getRun(executionId: string, run: number) {
    return getRun(this.#ctx, executionId, run);
  }
  listRuns(executionId: string) {
    return listRuns(this.#ctx, executionId);
  }
  listExecutions(filter: ListFilter) {
    return listExecutions(this.#ctx, filter);
  }
  purge(filter: PurgeFilter) {
    return purge(this.#ctx, filter);
  }
  countDue(now: Date) {
    return countDue(this.#ctx, now);
  }

  queueStats(now: Date) {
    return queueStats(this.#ctx, now);
  }
  pendingCounts(query: PendingCountsQuery, now: Date) {
    return pendingCounts(this.#ctx, query, now);
  }

  claim(request: ClaimRequest) {
    return claim(this.#ctx, request);
  }

  takeRateToken(request: RateTokenRequest, now: Date) {
    return takeRateToken(this.#ctx, request, now);
  }
  renewLease(lease: Lease, leaseMs: number, now: Date) {
    return renewLease(this.#ctx, lease, leaseMs, now);
  }
  releaseLease(lease: Lease, now: Date) {
    return releaseLease(this.#ctx, lease, now);
  }

  saveStep(lease: Lease, step: StepWrite, patch: ExecutionPatch, now: Date) {
    return saveStep(this.#ctx, lease, step, patch, now);
  }
  runTransactionalStep(lease: Lease, input: TransactionalStepInput, patch: ExecutionPatch, now: Date) {
    return runTransactionalStep(this.#ctx, lease, input, patch, now);
  }
  suspend(lease: Lease, input: SuspendInput, patch: ExecutionPatch, now: Date) {
    return suspend(this.#ctx, lease, input, patch, now);
  }

  awaitEvent(lease: Lease, input: AwaitEventInput, patch: ExecutionPatch, now: Date) {
    return awaitEvent(this.#ctx, lease, input, patch, now);
  }
  awaitAnyEvent(lease: Lease, input: AwaitAnyEventInput, patch: ExecutionPatch, now: Date) {
    return awaitAnyEvent(this.#ctx, lease, input, patch, now);
  }

  dispatchChildren(lease: Lease, input: DispatchChildrenInput, patch: ExecutionPatch, now: Date) {
    return dispatchChildren(this.#ctx, lease, input, patch, now);
  }
  settleChild(lease: ChildLease, outcome: ChildOutcome, now: Date) {
    return settleChild(this.#ctx, lease, outcome, now);
  }
  retryChild(lease: ChildLease, input: RetryChildInput, now: Date) {
    return retryChild(this.#ctx, lease, input, now);
  }

  startChildExecution(lease: Lease, input: StartChildInput, patch: ExecutionPatch, now: Date) {
    return startChildExecution(this.#ctx, lease, input, patch, now);
  }
  awaitChildExecutions(lease: Lease, input: AwaitChildrenInput, patch: ExecutionPatch, now: Date) {
    return awaitChildExecutions(this.#ctx, lease, input, patch, now);
  }

  retryExecution(lease: Lease, input: RetryExecutionInput, patch: ExecutionPatch, now: Date) {
    return retryExecution(this.#ctx, lease, input, patch, now);
  }
  completeExecution(lease: Lease, input: CompleteExecutionInput, patch: ExecutionPatch, now: Date) {
    return completeExecution(this.#ctx, lease, input, patch, now);
  }
  failExecution(lease: Lease, input: FailExecutionInput, patch: ExecutionPatch, now: Date) {
    return failExecution(this.#ctx, lease, input, patch, now);
  }

  createSchedule(schedule: StoredSchedule, now: Date) {
    return createSchedule(this.#ctx, schedule, now);
  }
  writeSchedule(write: ScheduleWrite, now: Date) {
    return writeSchedule(this.#ctx, write, now);
  }
  deleteSchedule(scheduleId: string) {
    return deleteSchedule(this.#ctx, scheduleId);
  }
  getSchedule(scheduleId: string) {
    return getSchedule(this.#ctx, scheduleId);
  }
  listSchedules(filter: ScheduleListFilter) {
    return listSchedules(this.#ctx, filter);
  }
  dueSchedules(request: DueSchedulesRequest) {
    return dueSchedules(this.#ctx, request);
  }

  heartbeatWorker(worker: Omit<WorkerRecord, "heartbeatAt">, now: Date) {
    return heartbeatWorker(this.#ctx, worker, now);
  }
  listWorkers() {
    return listWorkers(this.#ctx);
  }
  removeWorker(workerId: string) {
    return removeWorker(this.#ctx, workerId);
  }

  createPauseRule(rule: PauseRule) {
    return createPauseRule(this.#ctx, rule);
  }
  listPauseRules(now: Date) {
    return listPauseRules(this.#ctx, now);
  }
  deletePauseRule(ruleId: string) {
    return deletePauseRule(this.#ctx, ruleId);
  }
}
