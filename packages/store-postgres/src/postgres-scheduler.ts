import { type Clock, consoleLogger, type Logger, type Scheduler, systemClock } from "@zart/core";
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
  type StoredSchedule,
  type SuspendInput,
  type TransactionalStepInput,
  type Unsubscribe,
  type WakeUp,
  type WorkerRecord,
} from "@zart/core/store";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { Database } from "./db/database.js";
import { schemaNames } from "./db/names.js";
import { openPool } from "./db/pool.js";
import { databaseClock } from "./db/store-time.js";
import { migrate } from "./migrate/migrator.js";
import { type PostgresSchedulerOptions, resolveOptions } from "./options.js";
import { createOrmSchema, type OrmSchema } from "./schema/relations.js";
import { createTables } from "./schema/tables.js";
import { translateError } from "./translate-error.js";
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
import * as pauseRules from "./verbs/pause-rules.js";
import { pendingCounts, queueStats } from "./verbs/queue-stats.js";
import { getExecution, getRun, listExecutions, listRuns, purge } from "./verbs/read-executions.js";
import { restartExecution } from "./verbs/restart-execution.js";
import { saveStep } from "./verbs/save-step.js";
import * as schedules from "./verbs/schedules.js";
import { retryChild, settleChild } from "./verbs/settle-child.js";
import { suspend } from "./verbs/suspend.js";
import { takeRateToken } from "./verbs/take-rate-token.js";
import { runTransactionalStep, type TransactionDatabase } from "./verbs/transactional-step.js";
import * as workers from "./verbs/workers.js";
import { WakeUps } from "./wake-ups/wake-ups.js";

/**
 * The `Scheduler` contract on PostgreSQL, for many worker processes (tables, indexes, claim plan:
 * the package README). Each verb (`verbs/`) sends its NOTIFY in its own transaction and emits to
 * this instance's subscribers through `WakeUps`. No statement reads the database clock: verbs take
 * `now` (under `timeSource: "database"` from a clock kept in step with the server's, `db/store-time.ts`).
 */
export class PostgresScheduler implements Scheduler {
  readonly capabilities = defineCapabilities({
    multiProcess: true,
    push: true,
    persistent: true,
    answersOnOffer: true,
    transactionalStart: true,
    transactionalSteps: true,
  });
  readonly clock: Clock;
  /** The schema holding the tables. */
  readonly schema: string;
  readonly #db: Database;
  readonly #orm: NodePgDatabase<OrmSchema>;
  readonly #ownsPool: boolean;
  readonly #transactionDatabase: TransactionDatabase;
  readonly #wakeUps: WakeUps;
  readonly #stopClock: (() => void) | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: PostgresSchedulerOptions) {
    const resolved = resolveOptions(options);
    const logger: Logger = options.logger ?? consoleLogger;
    this.schema = resolved.schema;
    this.#ownsPool = options.pool === undefined;
    const pool = options.pool ?? openPool(options.connectionString, resolved.poolSize, logger);
    if (resolved.timeSource === "database") {
      [this.clock, this.#stopClock] = databaseClock(pool, options.clock, logger);
    } else {
      this.clock = options.clock ?? systemClock;
    }
    this.#transactionDatabase = options.transactionDatabase ?? pool;
    const names = schemaNames(resolved.schema);
    this.#wakeUps = new WakeUps(names.channel, pool, logger);
    this.#db = new Database({ pool, names, logger, retryWindowMs: resolved.retryWindowMs });
    this.#orm = drizzle(pool, { schema: createOrmSchema(createTables(resolved.schema)) });
  }

  /** Shipped drizzle-kit migrations, serialized by an advisory lock. */
  async migrate(): Promise<string[]> {
    return await migrate(this.#db, this.clock.now());
  }

  async ping(): Promise<void> {
    await this.#guard(() => this.#db.pool.query("SELECT 1"));
  }

  /** A pool passed in is left open; one the scheduler created is closed. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#db.markClosed();
      this.#stopClock?.();
      await this.#wakeUps.close();
      if (this.#ownsPool) await this.#db.pool.end();
    })();
    return this.#closing;
  }

  subscribe(listener: (wake: WakeUp) => void): Unsubscribe {
    this.#db.ensureOpen();
    return this.#wakeUps.subscribe(listener);
  }

  // ── client verbs ──────────────────────────────────────────────────────────────────────────
  createExecution(input: NewExecution, now: Date) {
    return createExecution(this.#db, this.#wakeUps, input, now);
  }
  createExecutions(inputs: readonly NewExecution[], now: Date) {
    return createExecutions(this.#db, this.#wakeUps, inputs, now);
  }
  debounceExecution(input: DebounceInput, now: Date) {
    return debounceExecution(this.#db, this.#wakeUps, input, now);
  }
  createExecutionInTransaction(tx: unknown, input: NewExecution, now: Date) {
    return createExecutionInTransaction(this.#db, this.#wakeUps, tx, input, now);
  }
  offerEvent(input: OfferEventInput, now: Date) {
    return offerEvent(this.#db, this.#wakeUps, input, now);
  }
  offerEventInTransaction(tx: unknown, input: OfferEventInput, now: Date) {
    return offerEventInTransaction(this.#db, this.#wakeUps, tx, input, now);
  }
  cancelExecution(executionId: string, now: Date) {
    return cancelExecution(this.#db, this.#wakeUps, executionId, now);
  }
  forkExecution(input: ForkExecutionInput, now: Date) {
    return forkExecution(this.#db, this.#wakeUps, input, now);
  }
  pauseExecution(executionId: string, _now: Date) {
    return pauseExecution(this.#db, executionId);
  }
  resumeExecution(executionId: string, now: Date) {
    return resumeExecution(this.#db, this.#wakeUps, executionId, now);
  }
  restartExecution(executionId: string, now: Date) {
    return restartExecution(this.#db, this.#wakeUps, executionId, now);
  }
  getExecution(executionId: string) {
    return this.#guard(() => getExecution(this.#orm, executionId));
  }
  listExecutions(filter: ListFilter) {
    return this.#guard(() => listExecutions(this.#orm, filter));
  }
  purge(filter: PurgeFilter) {
    return purge(this.#db, filter);
  }
  getRun(executionId: string, run: number) {
    return this.#guard(() => getRun(this.#db, this.#orm, executionId, run));
  }
  listRuns(executionId: string) {
    return listRuns(this.#db, executionId);
  }
  countDue(now: Date) {
    return countDue(this.#db, now);
  }

  queueStats(now: Date) {
    return queueStats(this.#db, now);
  }
  pendingCounts(query: PendingCountsQuery, now: Date) {
    return pendingCounts(this.#db, query, now);
  }

  // ── worker verbs ──────────────────────────────────────────────────────────────────────────
  claim(request: ClaimRequest) {
    return claim(this.#db, request);
  }

  takeRateToken(request: RateTokenRequest, now: Date) {
    return takeRateToken(this.#db, request, now);
  }
  renewLease(lease: Lease, leaseMs: number, now: Date) {
    return renewLease(this.#db, lease, leaseMs, now);
  }
  releaseLease(lease: Lease, now: Date) {
    return releaseLease(this.#db, this.#wakeUps, lease, now);
  }
  saveStep(lease: Lease, step: StepWrite, patch: ExecutionPatch, _now: Date) {
    return saveStep(this.#db, lease, step, patch);
  }
  /** On a connection of `transactionDatabase` (default: the store's pool). */
  runTransactionalStep(lease: Lease, input: TransactionalStepInput, patch: ExecutionPatch, _now: Date) {
    return runTransactionalStep(this.#db, this.#transactionDatabase, lease, input, patch);
  }
  suspend(lease: Lease, input: SuspendInput, patch: ExecutionPatch, _now: Date) {
    return suspend(this.#db, lease, input, patch);
  }
  awaitEvent(lease: Lease, input: AwaitEventInput, patch: ExecutionPatch, now: Date) {
    return awaitEvent(this.#db, lease, input, patch, now);
  }
  awaitAnyEvent(lease: Lease, input: AwaitAnyEventInput, patch: ExecutionPatch, now: Date) {
    return awaitAnyEvent(this.#db, lease, input, patch, now);
  }
  dispatchChildren(lease: Lease, input: DispatchChildrenInput, patch: ExecutionPatch, now: Date) {
    return dispatchChildren(this.#db, this.#wakeUps, lease, input, patch, now);
  }
  settleChild(lease: ChildLease, outcome: ChildOutcome, now: Date) {
    return settleChild(this.#db, this.#wakeUps, lease, outcome, now);
  }
  retryChild(lease: ChildLease, input: RetryChildInput, _now: Date) {
    return retryChild(this.#db, lease, input);
  }
  startChildExecution(lease: Lease, input: StartChildInput, patch: ExecutionPatch, now: Date) {
    return startChildExecution(this.#db, this.#wakeUps, lease, input, patch, now);
  }
  awaitChildExecutions(lease: Lease, input: AwaitChildrenInput, patch: ExecutionPatch, now: Date) {
    return awaitChildExecutions(this.#db, lease, input, patch, now);
  }
  retryExecution(lease: Lease, input: RetryExecutionInput, patch: ExecutionPatch, _now: Date) {
    return retryExecution(this.#db, this.#wakeUps, lease, input, patch);
  }
  completeExecution(lease: Lease, input: CompleteExecutionInput, patch: ExecutionPatch, now: Date) {
    return completeExecution(this.#db, this.#wakeUps, lease, input, patch, now);
  }
  failExecution(lease: Lease, input: FailExecutionInput, patch: ExecutionPatch, now: Date) {
    return failExecution(this.#db, this.#wakeUps, lease, input, patch, now);
  }

  // ── schedules ─────────────────────────────────────────────────────────────────────────────
  createSchedule(schedule: StoredSchedule, _now: Date) {
    return schedules.createSchedule(this.#db, schedule);
  }
  writeSchedule(write: ScheduleWrite, now: Date) {
    return schedules.writeSchedule(this.#db, this.#wakeUps, write, now);
  }
  deleteSchedule(scheduleId: string) {
    return schedules.deleteSchedule(this.#db, scheduleId);
  }
  getSchedule(scheduleId: string) {
    return schedules.getSchedule(this.#db, scheduleId);
  }
  listSchedules(filter: ScheduleListFilter) {
    return schedules.listSchedules(this.#db, filter);
  }
  dueSchedules(request: DueSchedulesRequest) {
    return schedules.dueSchedules(this.#db, request);
  }

  // ── worker registry ───────────────────────────────────────────────────────────────────────
  heartbeatWorker(worker: Omit<WorkerRecord, "heartbeatAt">, now: Date) {
    return workers.heartbeatWorker(this.#db, worker, now);
  }
  listWorkers() {
    return workers.listWorkers(this.#db);
  }
  removeWorker(workerId: string) {
    return workers.removeWorker(this.#db, workerId);
  }

  // ── pause rules ───────────────────────────────────────────────────────────────────────────
  createPauseRule(rule: PauseRule) {
    return pauseRules.createPauseRule(this.#db, this.#wakeUps, rule);
  }
  listPauseRules(now: Date) {
    return pauseRules.listPauseRules(this.#db, now);
  }
  deletePauseRule(ruleId: string) {
    return pauseRules.deletePauseRule(this.#db, this.#wakeUps, ruleId);
  }

  /** Reads run through drizzle: its driver errors are translated here. */
  async #guard<T>(operation: () => Promise<T>): Promise<T> {
    this.#db.ensureOpen();
    try {
      return await operation();
    } catch (error) {
      throw translateError(error, this.schema);
    }
  }
}
