import { type Clock, type Scheduler, StoreUnavailableError, systemClock } from "@zart/core";
import {
  type AnyEventWaitOutcome,
  type AwaitAnyEventInput,
  type AwaitChildrenInput,
  type AwaitEventInput,
  type ChildLease,
  type ChildOutcome,
  type ChildWaitOutcome,
  type ClaimedWork,
  type ClaimRequest,
  type CompleteExecutionInput,
  type DispatchChildrenInput,
  type DispatchOutcome,
  defineCapabilities,
  type EventWaitOutcome,
  type ExecutionDetails,
  type ExecutionPatch,
  type ExecutionRecord,
  type FailExecutionInput,
  type Lease,
  type ListFilter,
  type NewExecution,
  type OfferEventInput,
  type OfferOutcome,
  type PurgeFilter,
  type RetryChildInput,
  type RetryExecutionInput,
  type StartChildInput,
  type StepRecord,
  type StepWrite,
  type StoreCapabilities,
  type SuspendInput,
  type TransactionalStepInput,
  type Unsubscribe,
  type WakeUp,
} from "@zart/core/store";
import type Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { afterTransaction, checkCallerTransaction } from "./after-transaction.js";
import { type Connection, openConnection } from "./connection.js";
import { applyMigrations } from "./migrate.js";
import type { SqliteSchedulerOptions } from "./options.js";
import type { Orm } from "./rows.js";
import { awaitAnyEvent, awaitEvent } from "./sql/await-event.js";
import {
  awaitChildExecutions,
  cancelChildExecutions,
  startChildExecution,
  wakeParent,
} from "./sql/child-executions.js";
import { claimDue } from "./sql/claim.js";
import { createExecution } from "./sql/create-execution.js";
import { dispatchChildren } from "./sql/dispatch-children.js";
import { cancelExecution, completeExecution, failExecution, retryExecution } from "./sql/finish.js";
import { releaseLease, renewLease } from "./sql/lease.js";
import { offerEvent } from "./sql/offer-event.js";
import { getExecution, listExecutions, purge } from "./sql/queries.js";
import { restartExecution } from "./sql/restart-execution.js";
import { saveStep, suspend } from "./sql/save-step.js";
import { retryChild, settleChild } from "./sql/settle-child.js";
import { runTransactionalStep } from "./sql/transactional-step.js";
import { transactionDatabaseOf } from "./transaction-database.js";
import { TransactionGate } from "./transaction-gate.js";
import { translateError } from "./translate-error.js";
import { WakeUps } from "./wake-ups.js";

/**
 * The `Scheduler` contract on SQLite (better-sqlite3 + drizzle-orm): the embedded default.
 *
 * - **Transactions**: every verb is one synchronous transaction. Writes use `BEGIN IMMEDIATE`,
 *   which takes SQLite's single write lock before reading, so each verb's reads and writes are
 *   atomic against every other connection and process; claims hand each unit to exactly one lease.
 *   Reads use a deferred transaction: one consistent WAL snapshot, never blocked by the writer.
 * - **Several processes** may share one file (WAL mode): a lock held by another process is waited
 *   for up to `busyTimeoutMs`; only past it does a verb fail, with `StoreUnavailableError`.
 * - **Wake-ups** are pushed in-process at once (to every scheduler on the same file in this
 *   process); workers in other processes see the work at their next poll (`pollInterval`).
 * - **Errors**: a missing directory, a read-only or corrupt file → `StoreUnavailableError` from the
 *   constructor (or `migrate()`); driver errors never leave the store untranslated.
 *
 * Call `migrate()` once before use (it is idempotent and safe to run from several processes).
 */
export class SqliteScheduler implements Scheduler {
  /** Multi-process and persistent when file-backed; push in-process. */
  readonly capabilities: StoreCapabilities;
  /** The clock the engine reads `now` from. */
  readonly clock: Clock;
  /** The better-sqlite3 handle in use (the one passed in, or the one opened from `path`). */
  readonly database: Database.Database;
  readonly #connection: Connection;
  readonly #orm: Orm;
  readonly #wakeUps: WakeUps;
  readonly #transaction: ReturnType<Database.Database["transaction"]>;
  readonly #gate = new TransactionGate();
  readonly #transactionDatabase: unknown;
  #closed = false;

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
    this.#orm = drizzle(this.database);
    this.#transactionDatabase = transactionDatabaseOf(options, this.database);
    this.#transaction = this.database.transaction((body: () => unknown) => body());
    this.#wakeUps = new WakeUps(this.#connection.storageKey);
  }

  /** Applies the shipped migrations. Idempotent; safe when several processes call it at once. */
  async migrate(): Promise<string[]> {
    this.#ensureOpen();
    try {
      return applyMigrations(this.database);
    } catch (error) {
      throw this.#translate(error);
    }
  }

  /** One trivial query; throws `StoreUnavailableError` when the database cannot be read. */
  async ping(): Promise<void> {
    await this.#read(() => this.database.prepare("SELECT 1").get());
  }

  /** Closes the database if this scheduler opened it (never a passed-in handle). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#wakeUps.close();
    if (this.#connection.owned) this.database.close();
  }

  /** Creates a pending execution, replacing a terminal one of the same id with its steps and events. */
  async createExecution(input: NewExecution, now: Date): Promise<ExecutionRecord> {
    const record = await this.#write(() => createExecution(this.#orm, input, now));
    this.#emit("created", input.executionId);
    return record;
  }

  /**
   * Creates the execution inside the caller's open transaction on this store's own handle (a
   * savepoint in it). The `created` wake-up is pushed only once that transaction is over, and only
   * if the execution it created is there (committed).
   */
  async createExecutionInTransaction(
    transaction: unknown,
    input: NewExecution,
    now: Date,
  ): Promise<ExecutionRecord> {
    checkCallerTransaction(this.database, transaction);
    const record = this.#writeNow(() => createExecution(this.#orm, input, now));
    this.#afterCommit(
      input.executionId,
      (details) => details.execution.createdAt.getTime() === record.createdAt.getTime(),
      ["created"],
    );
    return record;
  }

  /** Appends an event to the mailbox, waking the execution if it waits on that name. */
  async offerEvent(input: OfferEventInput, now: Date): Promise<OfferOutcome> {
    const offered = await this.#write(() => offerEvent(this.#orm, input, now));
    if (offered.started) this.#emit("created", input.executionId);
    if (offered.outcome === "delivered") this.#emit("event", input.executionId);
    return offered.outcome;
  }

  /**
   * `offerEvent` inside the caller's open transaction on this store's own handle (a savepoint in
   * it). Its wake-ups are pushed only once that transaction is over, and only if the event it
   * appended is there (committed).
   */
  async offerEventInTransaction(
    transaction: unknown,
    input: OfferEventInput,
    now: Date,
  ): Promise<OfferOutcome> {
    checkCallerTransaction(this.database, transaction);
    const offered = this.#writeNow(() => offerEvent(this.#orm, input, now));
    if (offered.outcome === "delivered") {
      this.#afterCommit(
        input.executionId,
        (details) =>
          details.events.some(
            (event) => event.sequence === offered.sequence && event.offeredAt.getTime() === now.getTime(),
          ),
        offered.started ? ["created", "event"] : ["event"],
      );
    }
    return offered.outcome;
  }

  /**
   * Once the caller's transaction is over, emits the wake-ups of `reasons` for the execution if
   * `committed` holds for it (the write is there: committed, not rolled back).
   */
  #afterCommit(
    executionId: string,
    committed: (details: ExecutionDetails) => boolean,
    reasons: WakeUp["reason"][],
  ): void {
    afterTransaction(this.database, () => {
      this.getExecution(executionId).then(
        (details) => {
          if (details !== undefined && committed(details)) {
            for (const reason of reasons) this.#emit(reason, executionId);
          }
        },
        () => undefined, // closed meanwhile: the workers' polling is the fallback
      );
    });
  }

  /** Cancels a non-terminal execution and its unsettled children; false when already terminal. */
  async cancelExecution(executionId: string, now: Date): Promise<boolean> {
    const cancelled = await this.#write(() => {
      if (!cancelExecution(this.#orm, executionId, now)) return undefined;
      const descendants = cancelChildExecutions(this.#orm, executionId, now);
      return { ids: [executionId, ...descendants], parent: wakeParent(this.#orm, executionId, now) };
    });
    if (cancelled === undefined) return false;
    for (const id of cancelled.ids) this.#emit("cancelled", id);
    if (cancelled.parent !== undefined) this.#emit("child", cancelled.parent);
    return true;
  }

  /** Restarts a failed or cancelled execution from its first unfinished step. */
  async restartExecution(executionId: string, now: Date): Promise<ExecutionRecord> {
    const record = await this.#write(() => restartExecution(this.#orm, executionId, now));
    this.#emit("retry", executionId);
    return record;
  }

  /** The execution with its steps and mailbox, from one snapshot; `undefined` if unknown. */
  async getExecution(executionId: string): Promise<ExecutionDetails | undefined> {
    return await this.#read(() => getExecution(this.#orm, executionId));
  }

  /** Newest first (`createdAt` desc, then `executionId` asc), filtered, then paginated. */
  async listExecutions(filter: ListFilter): Promise<ExecutionDetails[]> {
    return await this.#read(() => listExecutions(this.#orm, filter));
  }

  /** Deletes terminal executions (of `statuses`, default all) completed before `olderThan`. */
  async purge(filter: PurgeFilter): Promise<number> {
    return await this.#write(() => purge(this.#orm, filter));
  }

  /** Claims up to `limit` due executions and children, oldest due time first, each exactly once. */
  async claim(request: ClaimRequest): Promise<ClaimedWork[]> {
    return await this.#write(() => claimDue(this.#orm, request));
  }

  /** Fenced: extends the lease (of the execution, or of the child when `childPosition` is set). */
  async renewLease(lease: Lease, leaseMs: number, now: Date): Promise<void> {
    await this.#write(() => renewLease(this.#orm, lease, leaseMs, now));
  }

  /** Fenced: inserts or replaces the step at `step.position` and applies the patch. */
  async saveStep(lease: Lease, step: StepWrite, patch: ExecutionPatch, _now: Date): Promise<void> {
    await this.#write(() => saveStep(this.#orm, lease, step, patch));
  }

  /**
   * A `ctx.transaction` step: `BEGIN IMMEDIATE` on this store's handle, the body with
   * `transactionDatabase` (default: the handle itself), the fenced step write, `COMMIT`. The
   * store's other verbs wait meanwhile, so keep bodies short.
   */
  async runTransactionalStep(
    lease: Lease,
    input: TransactionalStepInput,
    patch: ExecutionPatch,
    _now: Date,
  ): Promise<StepWrite> {
    return this.#gate.run(() => {
      this.#ensureOpen();
      const target = this.#transactionDatabase ?? this.database;
      const translate = (error: unknown) => this.#translate(error);
      return runTransactionalStep(this.database, this.#orm, target, lease, input, patch, translate);
    });
  }

  /** Fenced: writes `step` if given and parks the execution until `wakeAt` (sleep or retry backoff). */
  async suspend(lease: Lease, input: SuspendInput, patch: ExecutionPatch, _now: Date): Promise<void> {
    await this.#write(() => suspend(this.#orm, lease, input, patch));
  }

  /** Fenced, atomic with `offerEvent`: `received`, `timeout` or `suspended` (see the contract). */
  async awaitEvent(
    lease: Lease,
    input: AwaitEventInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<EventWaitOutcome> {
    return await this.#write(() => awaitEvent(this.#orm, lease, input, patch, now));
  }

  /** Fenced, atomic with `offerEvent`: the first offered event among several names (see the contract). */
  async awaitAnyEvent(
    lease: Lease,
    input: AwaitAnyEventInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<AnyEventWaitOutcome> {
    return await this.#write(() => awaitAnyEvent(this.#orm, lease, input, patch, now));
  }

  /** Fenced: inserts the missing children; parks the execution while any child is unsettled. */
  async dispatchChildren(
    lease: Lease,
    input: DispatchChildrenInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<DispatchOutcome> {
    return await this.#write(() => dispatchChildren(this.#orm, lease, input, patch, now));
  }

  /** Fenced by the child's lease: records its outcome; the last settle wakes a parent waiting on children. */
  async settleChild(lease: ChildLease, outcome: ChildOutcome, now: Date): Promise<void> {
    if (await this.#write(() => settleChild(this.#orm, lease, outcome, now)))
      this.#emit("child", lease.executionId);
  }

  /** Fenced by the child's lease: parks a failed attempt of the child until `input.wakeAt`. */
  async retryChild(lease: ChildLease, input: RetryChildInput, _now: Date): Promise<void> {
    await this.#write(() => retryChild(this.#orm, lease, input));
  }

  /** Fenced: starts a child execution and records the parent's `child` step, once per position. */
  async startChildExecution(
    lease: Lease,
    input: StartChildInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<StepRecord> {
    const { step, created } = await this.#write(() =>
      startChildExecution(this.#orm, lease, input, patch, now),
    );
    if (created) this.#emit("created", input.childId);
    return step;
  }

  /** Fenced: the children's rows when all are terminal; otherwise parks the parent until one settles. */
  async awaitChildExecutions(
    lease: Lease,
    input: AwaitChildrenInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<ChildWaitOutcome> {
    return await this.#write(() => awaitChildExecutions(this.#orm, lease, input, patch, now));
  }

  /** Fenced: ends the attempt for a retry at `runAt`, deleting every step that is not completed. */
  async retryExecution(
    lease: Lease,
    input: RetryExecutionInput,
    patch: ExecutionPatch,
    _now: Date,
  ): Promise<void> {
    await this.#write(() => retryExecution(this.#orm, lease, input, patch));
    this.#emit("retry", lease.executionId);
  }

  /** Fenced: the execution completes with `result` at `now`. */
  async completeExecution(
    lease: Lease,
    input: CompleteExecutionInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<void> {
    const parent = await this.#write(() => {
      completeExecution(this.#orm, lease, input, patch, now);
      return wakeParent(this.#orm, lease.executionId, now);
    });
    if (parent !== undefined) this.#emit("child", parent);
  }

  /** Fenced: the execution fails with `error` at `now`; its unsettled children are cancelled. */
  async failExecution(
    lease: Lease,
    input: FailExecutionInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<void> {
    const parent = await this.#write(() => {
      failExecution(this.#orm, lease, input, patch, now);
      return wakeParent(this.#orm, lease.executionId, now);
    });
    if (parent !== undefined) this.#emit("child", parent);
  }

  /** Fenced: gives the unit back without progress; an execution becomes due now, a child pending. */
  async releaseLease(lease: Lease, now: Date): Promise<void> {
    await this.#write(() => releaseLease(this.#orm, lease, now));
    this.#emit("released", lease.executionId);
  }

  /** Registers an in-process wake-up listener (called in a microtask); returns its unsubscribe. */
  subscribe(listener: (wake: WakeUp) => void): Unsubscribe {
    this.#ensureOpen();
    return this.#wakeUps.subscribe(listener);
  }

  /**
   * Runs `body` in one `BEGIN IMMEDIATE` transaction; driver errors are translated. While a
   * `ctx.transaction` body holds the connection, waits for its end (see `TransactionGate`).
   */
  #write<T>(body: () => T): T | Promise<T> {
    if (this.#gate.busy) return this.#gate.idle().then(() => this.#write(body));
    return this.#writeNow(body);
  }

  /** `#write` without waiting for a transactional step (inside the caller's own open transaction). */
  #writeNow<T>(body: () => T): T {
    this.#ensureOpen();
    try {
      return this.#transaction.immediate(body) as T;
    } catch (error) {
      throw this.#translate(error);
    }
  }

  /** Runs `body` in one deferred (read) transaction: one snapshot; driver errors are translated. */
  #read<T>(body: () => T): T | Promise<T> {
    if (this.#gate.busy) return this.#gate.idle().then(() => this.#read(body));
    this.#ensureOpen();
    try {
      return this.#transaction.deferred(body) as T;
    } catch (error) {
      throw this.#translate(error);
    }
  }

  #emit(reason: WakeUp["reason"], executionId: string): void {
    this.#wakeUps.emit({ reason, executionId });
  }

  #translate(error: unknown): unknown {
    return translateError(error, this.#connection.label, this.#connection.busyTimeoutMs);
  }

  #ensureOpen(): void {
    if (this.#closed || !this.database.open) {
      throw new StoreUnavailableError(`${this.#connection.label} is closed; create a new SqliteScheduler.`);
    }
  }
}
