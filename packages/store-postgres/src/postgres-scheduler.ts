import { randomUUID } from "node:crypto";
import { type Clock, consoleLogger, type Logger, type Scheduler, systemClock } from "@zart/core";
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
  type SuspendInput,
  type TransactionalStepInput,
  type Unsubscribe,
  type WakeReason,
  type WakeUp,
  WakeUpHub,
} from "@zart/core/store";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { Database } from "./db/database.js";
import { schemaNames } from "./db/names.js";
import { translateError } from "./db/translate-error.js";
import { migrate } from "./migrate/migrator.js";
import { type PostgresSchedulerOptions, resolveOptions } from "./options.js";
import { createOrmSchema, type OrmSchema } from "./schema/relations.js";
import { createTables } from "./schema/tables.js";
import { awaitAnyEvent, awaitEvent } from "./sql/await-event.js";
import { cancelExecution } from "./sql/cancel-execution.js";
import { awaitChildExecutions, settleChildExecution, startChildExecution } from "./sql/child-executions.js";
import { claim } from "./sql/claim.js";
import { completeExecution } from "./sql/complete-execution.js";
import { createExecution } from "./sql/create-execution.js";
import { createExecutionInTransaction } from "./sql/create-execution-in-transaction.js";
import { dispatchChildren } from "./sql/dispatch-children.js";
import { failExecution } from "./sql/fail-execution.js";
import { offerEvent } from "./sql/offer-event.js";
import { offerEventInTransaction } from "./sql/offer-event-in-transaction.js";
import { getExecution, listExecutions, purge } from "./sql/read-executions.js";
import { releaseLease } from "./sql/release-lease.js";
import { renewLease } from "./sql/renew-lease.js";
import { restartExecution } from "./sql/restart-execution.js";
import { retryChild } from "./sql/retry-child.js";
import { retryExecution } from "./sql/retry-execution.js";
import { saveStep } from "./sql/save-step.js";
import { settleChild } from "./sql/settle-child.js";
import { offerWithStart } from "./sql/signal-with-start.js";
import { suspend } from "./sql/suspend.js";
import { runTransactionalStep, type TransactionDatabase } from "./sql/transactional-step.js";
import { decodeWakeUp, encodeWakeUp } from "./wake-ups/notification.js";
import { NotificationListener } from "./wake-ups/notification-listener.js";

/**
 * The `Scheduler` contract on PostgreSQL: the production store, shared by many worker processes
 * on many machines. Claims use `FOR UPDATE SKIP LOCKED` (batched, history in the same round
 * trip); every worker write is one statement fenced by the lease token; wake-ups are pushed with
 * LISTEN/NOTIFY on a channel per schema (polling stays the fallback); connection faults surface as
 * `StoreUnavailableError`, and a worker's fenced writes are retried through them.
 *
 * Time comes only from the `now` the engine passes in: the database clock is never read.
 * See the package README for the table layout, the indexes and the claim plan.
 */
export class PostgresScheduler implements Scheduler {
  /** Many processes, NOTIFY push, data in PostgreSQL. */
  readonly capabilities = defineCapabilities({
    multiProcess: true,
    push: true,
    persistent: true,
    answersOnOffer: true,
    transactionalStart: true,
    transactionalSteps: true,
  });
  /** The clock the engine reads `now` from. */
  readonly clock: Clock;
  /** The schema holding the tables. */
  readonly schema: string;
  readonly #db: Database;
  readonly #orm: NodePgDatabase<OrmSchema>;
  readonly #ownsPool: boolean;
  readonly #transactionDatabase: TransactionDatabase;
  readonly #hub = new WakeUpHub();
  readonly #listener: NotificationListener;
  /** Identifies this instance in NOTIFY payloads, so it ignores its own (delivered locally already). */
  readonly #instanceId = randomUUID();
  #closing: Promise<void> | undefined;

  constructor(options: PostgresSchedulerOptions) {
    const resolved = resolveOptions(options);
    const logger: Logger = options.logger ?? consoleLogger;
    this.clock = options.clock ?? systemClock;
    this.schema = resolved.schema;
    this.#ownsPool = options.pool === undefined;
    const pool =
      options.pool ??
      new pg.Pool({
        connectionString: options.connectionString,
        max: resolved.poolSize,
        connectionTimeoutMillis: 10_000,
        // TCP keepalive: an idle connection to a host that vanished (failover, partition) is noticed.
        keepAlive: true,
      });
    if (this.#ownsPool) {
      // An idle connection dropped by a server restart must not crash the process.
      pool.on("error", (error) => logger.warn({ error: String(error) }, "idle PostgreSQL connection failed"));
    }
    this.#transactionDatabase = options.transactionDatabase ?? pool;
    const names = schemaNames(resolved.schema);
    this.#db = new Database({ pool, names, logger, retryWindowMs: resolved.retryWindowMs });
    this.#orm = drizzle(pool, { schema: createOrmSchema(createTables(resolved.schema)) });
    let listened = false;
    this.#listener = new NotificationListener({
      pool,
      channel: names.channel,
      logger,
      onNotification: (payload) => this.#onNotification(payload),
      onReconnect: () => {
        // After an outage, NOTIFYs sent meanwhile were missed: workers sweep (poll) once.
        if (listened) this.#hub.emit({ reason: "reconnected", executionId: "" });
        listened = true;
      },
    });
  }

  /** Creates or upgrades the schema (shipped drizzle-kit migrations), serialized by an advisory lock. */
  async migrate(): Promise<string[]> {
    return await migrate(this.#db, this.clock.now());
  }

  /** One `SELECT 1`; throws `StoreUnavailableError` when PostgreSQL cannot be reached. */
  async ping(): Promise<void> {
    await this.#guard(() => this.#db.pool.query("SELECT 1"));
  }

  /**
   * Stops listening and, when the scheduler created the pool, closes it (a pool passed in is left
   * open). Later calls throw `StoreUnavailableError`. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#db.markClosed();
      this.#hub.clear();
      await this.#listener.stop();
      if (this.#ownsPool) await this.#db.pool.end();
    })();
    return this.#closing;
  }

  // ── client verbs ──────────────────────────────────────────────────────────────────────────

  /** Creates a pending execution (or replaces a terminal one); `ExecutionAlreadyExistsError` otherwise. */
  async createExecution(input: NewExecution, now: Date): Promise<ExecutionRecord> {
    const record = await createExecution(this.#db, input, now, this.#notice("created", input.executionId));
    this.#emit("created", input.executionId);
    return record;
  }

  /**
   * Creates the execution through the caller's client inside `BEGIN`. Its NOTIFY names no sender,
   * so this instance's listener delivers it too, at commit; nothing is pushed before.
   */
  createExecutionInTransaction(
    transaction: unknown,
    input: NewExecution,
    now: Date,
  ): Promise<ExecutionRecord> {
    const notify: [string, string] = [this.#db.names.channel, encodeWakeUp("created", input.executionId, "")];
    return createExecutionInTransaction(transaction, this.#db.names, input, now, notify);
  }

  /**
   * Appends to the mailbox (waking a waiter of that name), or `"duplicate"` for a known key. With
   * `startIfMissing`, creation and offer share one transaction (see `signal-with-start.ts`).
   */
  async offerEvent(input: OfferEventInput, now: Date): Promise<OfferOutcome> {
    const id = input.executionId;
    const start = input.startIfMissing;
    if (start === undefined) {
      const outcome = await offerEvent(this.#db, input, now, this.#notice("event", id));
      if (outcome === "delivered") this.#emit("event", id);
      return outcome;
    }
    const notices = { created: this.#notice("created", id), event: this.#notice("event", id) };
    const offered = await this.#db.transaction((client) =>
      offerWithStart(client, this.#db.names, { ...input, startIfMissing: start }, now, notices),
    );
    if (offered.started) this.#emit("created", id);
    if (offered.outcome === "delivered") this.#emit("event", id);
    return offered.outcome;
  }

  /** `offerEvent` through the caller's client inside `BEGIN`; pushed (by NOTIFY) only at its commit. */
  offerEventInTransaction(transaction: unknown, input: OfferEventInput, now: Date): Promise<OfferOutcome> {
    const id = input.executionId;
    const notices = {
      created: [this.#db.names.channel, encodeWakeUp("created", id, "")] as [string, string],
      event: [this.#db.names.channel, encodeWakeUp("event", id, "")] as [string, string],
    };
    return offerEventInTransaction(transaction, this.#db.names, input, now, notices);
  }

  /** Cancels a live execution and its unsettled children; false when already terminal. */
  async cancelExecution(executionId: string, now: Date): Promise<boolean> {
    const tree = await cancelExecution(this.#db, executionId, now, (reason, id) => this.#notice(reason, id));
    if (tree === undefined) return false;
    for (const id of tree.cancelled) this.#emit("cancelled", id);
    if (tree.woken !== undefined) this.#emit("child", tree.woken);
    return true;
  }

  /** Restarts a failed or cancelled execution from its first unfinished step. */
  async restartExecution(executionId: string, now: Date): Promise<ExecutionRecord> {
    const record = await restartExecution(this.#db, executionId, now, this.#notice("retry", executionId));
    this.#emit("retry", executionId);
    return record;
  }

  /** The execution, its steps and its mailbox from one snapshot; `undefined` if unknown. */
  getExecution(executionId: string): Promise<ExecutionDetails | undefined> {
    return this.#guard(() => getExecution(this.#orm, executionId));
  }

  /** Newest first (`createdAt` desc, then id), filtered and paginated, with steps and events. */
  listExecutions(filter: ListFilter): Promise<ExecutionDetails[]> {
    return this.#guard(() => listExecutions(this.#orm, filter));
  }

  /** Deletes terminal executions completed before `olderThan` (steps and events cascade). */
  purge(filter: PurgeFilter): Promise<number> {
    return this.#guard(() => purge(this.#orm, filter));
  }

  // ── worker verbs ──────────────────────────────────────────────────────────────────────────

  /** Claims up to `limit` due executions and children with their history, in one statement. */
  claim(request: ClaimRequest): Promise<ClaimedWork[]> {
    return claim(this.#db, request);
  }

  /** Fenced: extends the lease of the execution (or of the child). */
  renewLease(lease: Lease, leaseMs: number, now: Date): Promise<void> {
    return renewLease(this.#db, lease, leaseMs, now);
  }

  /** Fenced, one statement: inserts or replaces the step at `step.position`, applies the patch. */
  saveStep(lease: Lease, step: StepWrite, patch: ExecutionPatch, _now: Date): Promise<void> {
    return saveStep(this.#db, lease, step, patch);
  }

  /**
   * A `ctx.transaction` step: `BEGIN` on a connection of `transactionDatabase` (default: the
   * store's pool), the body, then the fenced step write and `COMMIT`; serialization failures and
   * deadlocks rerun the whole transaction (a few times).
   */
  runTransactionalStep(
    lease: Lease,
    input: TransactionalStepInput,
    patch: ExecutionPatch,
    _now: Date,
  ): Promise<StepWrite> {
    return runTransactionalStep(this.#db, this.#transactionDatabase, lease, input, patch);
  }

  /** Fenced: writes `step` if given and parks the execution until `wakeAt`. */
  suspend(lease: Lease, input: SuspendInput, patch: ExecutionPatch, _now: Date): Promise<void> {
    return suspend(this.#db, lease, input, patch);
  }

  /** Fenced and atomic with `offerEvent`: `received`, `timeout` or `suspended`. */
  awaitEvent(
    lease: Lease,
    input: AwaitEventInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<EventWaitOutcome> {
    return awaitEvent(this.#db, lease, input, patch, now);
  }

  /** Fenced, atomic with `offerEvent`: the first offered event among several names (see the contract). */
  awaitAnyEvent(
    lease: Lease,
    input: AwaitAnyEventInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<AnyEventWaitOutcome> {
    return awaitAnyEvent(this.#db, lease, input, patch, now);
  }

  /** Fenced: inserts the missing children; parks the execution while any child is unsettled. */
  async dispatchChildren(
    lease: Lease,
    input: DispatchChildrenInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<DispatchOutcome> {
    const notice = this.#notice("created", lease.executionId);
    const outcome = await dispatchChildren(this.#db, lease, input, patch, now, notice);
    if (outcome.suspended) this.#emit("created", lease.executionId);
    return outcome;
  }

  /** Fenced by the child's lease: records its outcome; the last settle wakes the parent. */
  async settleChild(lease: ChildLease, outcome: ChildOutcome, now: Date): Promise<void> {
    const woke = await settleChild(this.#db, lease, outcome, now, this.#notice("child", lease.executionId));
    if (woke) this.#emit("child", lease.executionId);
  }

  /** Fenced by the child's lease: parks a failed attempt of the child until `input.wakeAt`. */
  retryChild(lease: ChildLease, input: RetryChildInput, _now: Date): Promise<void> {
    return retryChild(this.#db, lease, input);
  }

  /** Fenced: ends the attempt for a retry at `runAt`, deleting every step that is not completed. */
  async retryExecution(
    lease: Lease,
    input: RetryExecutionInput,
    patch: ExecutionPatch,
    _now: Date,
  ): Promise<void> {
    await retryExecution(this.#db, lease, input, patch, this.#notice("retry", lease.executionId));
    this.#emit("retry", lease.executionId);
  }

  /** Fenced: the execution completes with `result` at `now`. */
  completeExecution(
    lease: Lease,
    input: CompleteExecutionInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<void> {
    if (lease.kind === "execution" && lease.parentId !== undefined) {
      return this.#settleChildExecution(
        { ...lease, parentId: lease.parentId },
        { complete: input },
        patch,
        now,
      );
    }
    return completeExecution(this.#db, lease, input, patch, now);
  }

  /** Fenced: the execution fails with `error` at `now`; its unsettled children are cancelled. */
  failExecution(lease: Lease, input: FailExecutionInput, patch: ExecutionPatch, now: Date): Promise<void> {
    if (lease.kind === "execution" && lease.parentId !== undefined) {
      return this.#settleChildExecution({ ...lease, parentId: lease.parentId }, { fail: input }, patch, now);
    }
    return failExecution(this.#db, lease, input, patch, now);
  }

  /** Fenced: starts a child execution and records the parent's `child` step, once per position. */
  async startChildExecution(
    lease: Lease,
    input: StartChildInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<StepRecord> {
    const notice = (reason: WakeReason, id: string) => this.#notice(reason, id);
    const { step, created } = await startChildExecution(this.#db, lease, input, patch, now, notice);
    if (created) this.#emit("created", input.childId);
    return step;
  }

  /** Fenced: the children's rows when all are terminal; otherwise parks the parent until one settles. */
  awaitChildExecutions(
    lease: Lease,
    input: AwaitChildrenInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<ChildWaitOutcome> {
    return awaitChildExecutions(this.#db, lease, input, patch, now);
  }

  /** A child execution's final write: its parent is locked first and woken (see `child-executions`). */
  async #settleChildExecution(
    lease: Lease & { parentId: string },
    outcome: Parameters<typeof settleChildExecution>[2],
    patch: ExecutionPatch,
    now: Date,
  ): Promise<void> {
    const notice = (reason: WakeReason, id: string) => this.#notice(reason, id);
    const woken = await settleChildExecution(this.#db, lease, outcome, patch, now, notice);
    if (woken !== undefined) this.#emit("child", woken);
  }

  /** Fenced: gives the unit back without progress; it is due again at once. */
  async releaseLease(lease: Lease, now: Date): Promise<void> {
    await releaseLease(this.#db, lease, now, this.#notice("released", lease.executionId));
    this.#emit("released", lease.executionId);
  }

  /**
   * Registers a wake-up listener. The first subscription starts LISTENing on the schema's channel
   * (one pooled connection held, reconnected with backoff); this instance's own wake-ups are
   * delivered in-process at once, other processes' arrive by NOTIFY.
   */
  subscribe(listener: (wake: WakeUp) => void): Unsubscribe {
    this.#db.ensureOpen();
    const unsubscribe = this.#hub.subscribe(listener);
    this.#listener.start();
    return unsubscribe;
  }

  #notice(reason: WakeReason, executionId: string): [string, string] {
    return [this.#db.names.channel, encodeWakeUp(reason, executionId, this.#instanceId)];
  }

  #emit(reason: WakeReason, executionId: string): void {
    this.#hub.emit({ reason, executionId });
  }

  #onNotification(payload: string | undefined): void {
    const decoded = decodeWakeUp(payload);
    if (decoded === undefined || decoded.sender === this.#instanceId) return;
    this.#hub.emit(decoded.wake);
  }

  async #guard<T>(operation: () => Promise<T>): Promise<T> {
    this.#db.ensureOpen();
    try {
      return await operation();
    } catch (error) {
      throw translateError(error, this.schema);
    }
  }
}
