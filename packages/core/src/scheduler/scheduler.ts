/**
 * # The `Scheduler` storage contract
 *
 * One interface every store implements (memory, SQLite, PostgreSQL, Redis). It is made of domain
 * verbs, each atomic as documented, so the engine never composes a read-modify-write itself.
 *
 * ## Glossary
 * - **execution**: one run of a task for one `executionId` (the idempotency key). Its row holds the
 *   input, status, result/error, `ctx.data()` blob, task attempt, wake time and lease.
 * - **step**: one entry of an execution's history, at a position in call order: a `ctx.step`,
 *   a sleep, an event wait, a captured value, or a parallel child. A completed step's result is
 *   returned on replay instead of running again.
 * - **child**: a parallel step (`ctx.scheduleStep`): a step row that is its own claimable unit of
 *   work, with its own lease. Settling the last unsettled child wakes the parent. A claimed child
 *   carries only the steps before its position, all that replaying the task up to its own
 *   `scheduleStep` reads, not the whole history.
 * - **child execution**: a full execution started by another (its parent) with `ctx.startChild`;
 *   its row names its parent (`parentId`). The parent records a step of kind `child` whose result is
 *   the child's id. Settling a child execution (complete, fail, cancel) wakes a parent parked on
 *   child executions in the same transaction. Cancelling a parent cancels its non-detached child
 *   executions, recursively.
 * - **lease**: the right to run an execution (or a child) until `leaseExpiresAt`, renewed by heartbeat.
 *   Granted by `claim`; an expired lease lets another worker claim the work.
 * - **fencing token**: the random token of one lease. Every worker write carries it and is rejected
 *   with `LeaseLostError` (changing nothing) unless the token still matches the stored one: after a
 *   takeover, a cancel, or a release, the old holder can no longer write.
 * - **wake time** (`runAt`): when a pending or waiting execution becomes due. Absent means only a
 *   push (an offered event) can wake it.
 * - **mailbox**: the FIFO queue of offered events per (execution, event name). Offers are kept until
 *   a wait consumes them; each wait consumes the oldest unconsumed one.
 *
 * ## Time
 * Stores never read a clock of their own for semantics: every time-sensitive verb receives `now`
 * from the engine, which reads `scheduler.clock` (injected at construction; the system clock by default).
 *
 * ## Hot path: a 3-step execution costs five round trips
 * `claim` (execution + its whole history in one read) → `saveStep` → `saveStep` → `saveStep` →
 * `completeExecution`. Heartbeats (`renewLease`) run beside it every `leaseDuration / 3`.
 * A replay after a wake-up reads history once, in `claim`, and writes nothing for replayed steps.
 * An event offered to an execution parked on it wakes it; the replayed wait then consumes it with
 * `awaitEvent`. Stores with the `answersOnOffer` capability save that round trip by consuming the
 * event in `offerEvent` itself.
 *
 * ## Errors
 * Stores translate driver errors at their boundary: a fenced write whose token does not match →
 * `LeaseLostError`; unreachable/corrupt storage → `StoreUnavailableError`; the rest as documented.
 */
import type { Clock } from "../clock.js";
import type { AnyEventWaitOutcome, AwaitAnyEventInput } from "./any-event.js";
import type { DueCount, QueueCount } from "./backlog.js";
import type { StoreCapabilities } from "./capabilities.js";
import type { AwaitChildrenInput, ChildWaitOutcome, StartChildInput } from "./child-executions.js";
import type { ClaimedWork, ClaimRequest, RateTokenOutcome, RateTokenRequest } from "./claims.js";
import type {
  ForkExecutionInput,
  ListFilter,
  NewExecution,
  PurgeFilter,
  Unsubscribe,
  WakeUp,
} from "./client-verbs.js";
import type { DebounceInput, DebounceOutcome } from "./debounce.js";
import type { AwaitEventInput, EventWaitOutcome, OfferEventInput, OfferOutcome } from "./events.js";
import type { ChildLease, ExecutionLease, Lease } from "./lease.js";
import type {
  ChildOutcome,
  DispatchChildrenInput,
  DispatchOutcome,
  RetryChildInput,
} from "./parallel-children.js";
import type { PauseRuleStore } from "./pause-rules.js";
import type { ExecutionDetails, ExecutionRecord, RunSummary, StepRecord } from "./records.js";
import type { ScheduleStore } from "./schedules.js";
import type { TransactionalStepInput } from "./transactional-step.js";
import type { CreateOutcome } from "./vocabularies.js";
import type {
  CompleteExecutionInput,
  ExecutionPatch,
  FailExecutionInput,
  RetryExecutionInput,
  StepWrite,
  SuspendInput,
} from "./worker-writes.js";
import type { WorkerRegistry } from "./workers.js";

/**
 * Its schedule verbs (`createSchedule`, `writeSchedule`, …) are in `ScheduleStore` (`./schedules.ts`),
 * its worker registry verbs (`heartbeatWorker`, `listWorkers`, `removeWorker`) in `WorkerRegistry`
 * (`./workers.ts`), its pause-rule verbs in `PauseRuleStore` (`./pause-rules.ts`); the verbs' input and output types are in the files beside this one, by concept.
 */
export interface Scheduler extends ScheduleStore, WorkerRegistry, PauseRuleStore {
  readonly capabilities: StoreCapabilities;
  /** The clock the engine reads `now` from for every call to this store. */
  readonly clock: Clock;

  /**
   * Creates or upgrades the schema. Idempotent; safe when several processes call it at once.
   * Returns the names of the migrations this call applied, oldest first (empty when up to date).
   */
  migrate(): Promise<string[]>;
  /** Cheap reachability check; throws `StoreUnavailableError`. */
  ping(): Promise<void>;
  /** Releases what the store opened (never a client or pool that was passed in). Idempotent. */
  close(): Promise<void>;

  // ── client verbs ──────────────────────────────────────────────────────────────────────────

  /**
   * Atomically creates an execution (status `pending`). If the id exists and is not terminal →
   * `ExecutionAlreadyExistsError`, nothing changes. If it exists and is terminal, its steps and
   * events are deleted and the row is replaced by a new run, in the same transaction.
   * Emits a `created` wake-up.
   */
  createExecution(input: NewExecution, now: Date): Promise<ExecutionRecord>;

  /**
   * Many `createExecution`s at once, with each item's idempotency: an absent id is created, a
   * terminal one replaced by a new run (archived as `createExecution` does), a non-terminal one
   * left as it is (`"exists"`, no error). Returns one outcome per input, in input order. The ids are
   * distinct (the caller checks). The new rows are written in one statement / script / transaction
   * (a replacement may take its own), each id created at most once under racing callers; one
   * `created` wake-up is emitted for the batch when anything was created.
   */
  createExecutions(inputs: readonly NewExecution[], now: Date): Promise<CreateOutcome[]>;

  /**
   * Atomically debounces a start (`start(..., { debounce })`). The (task, key) is held by at most
   * one execution, from its creation here until it is first claimed. If the holder is still
   * `pending` and was never claimed (no `startedAt`), its `payload`, `priority` and
   * `concurrencyKey` become the input's and its `runAt` becomes `input.execution.runAt`, capped at
   * its `createdAt + timeoutMs`; nothing else changes and no wake-up is emitted (the due time only
   * moves as the caller asked). Otherwise (no holder, or it was claimed, paused, cancelled, purged,
   * replaced) the execution is created as by `createExecution` (same errors, same `created`
   * wake-up) with `runAt` capped at `now + timeoutMs`, and it becomes the holder. Racing calls on
   * one key serialize: exactly one creates, the others update it in turn, and the last one to
   * write decides the input (see `DebounceOutcome.starts`). A claim racing an update either sees
   * the update or makes the update create a new execution, never both.
   */
  debounceExecution(input: DebounceInput, now: Date): Promise<DebounceOutcome>;

  /**
   * Only with the `transactionalStart` capability: `createExecution` through `transaction`, the
   * caller's own open transaction (a store-specific handle), so the execution and its `created`
   * wake-up exist iff the caller commits. A handle the store cannot use (wrong type, no open
   * transaction) → `InvalidTransactionError`, nothing written.
   */
  createExecutionInTransaction?(
    transaction: unknown,
    input: NewExecution,
    now: Date,
  ): Promise<ExecutionRecord>;

  /**
   * Atomically offers an event: with `idempotencyKey` already accepted for this execution →
   * `"duplicate"` (even when terminal), nothing changes. Unknown execution → `ExecutionNotFoundError`;
   * terminal → `ExecutionTerminalError`. Otherwise the event is appended to the mailbox and, if the
   * execution is waiting on this event name, it becomes due now (status `pending`, `runAt = now`,
   * `waitReason`/`waitEvent` cleared) in the same transaction: an offer can never slip between a
   * wait's mailbox check and its suspension. Emits an `event` wake-up. The woken worker replays the
   * wait, whose `awaitEvent` consumes the event. This plain path is what every store implements.
   * "Waiting on this event name": `waitEvent` is the name, or lists it (`waitsOnEvent`: an
   * `awaitAnyEvent` wait); the answer below applies only when `waitEvent` is exactly the name.
   *
   * Only with the `answersOnOffer` capability: if, moreover, that wait can still receive the event — its step (kind `event`, status `waiting`,
   * at the wait's position) has no deadline or `now < deadline` (its `wakeAt`), and the execution's
   * wake time (`runAt`: the deadline or the task timeout, whichever is first) is absent or after
   * `now` — the offer also answers the wait in the same transaction, as `awaitEvent` would have: the
   * event is appended already consumed (`consumedAt = now`) and the step becomes `completed` with
   * `result` = the payload, `completedAt = now`, `traceContext` = the offer's (`attempts` unchanged). The replay after the next
   * claim then finds the wait completed in the history and calls no store verb for it. Otherwise
   * (deadline passed) the event stays unconsumed and the worker's replayed `awaitEvent` decides.
   * Either way the wait has exactly one outcome.
   *
   * With `startIfMissing` (signal-with-start), after the duplicate check: an unknown or terminal
   * execution is created (a terminal one replaced, its steps and events deleted) as by
   * `createExecution`, and the event appended to its mailbox, all in one transaction; concurrent
   * offers and starts of one id create it once and every offer lands in that run's mailbox. Emits
   * `created` (when it created the execution) and `event` wake-ups.
   */
  offerEvent(input: OfferEventInput, now: Date): Promise<OfferOutcome>;

  /**
   * Only with the `transactionalStart` capability: `offerEvent` (with or without `startIfMissing`)
   * through `transaction`, the caller's own open transaction, like `createExecutionInTransaction`:
   * the event, any execution it starts and their wake-ups exist iff the caller commits. A handle
   * the store cannot use → `InvalidTransactionError`, nothing written.
   */
  offerEventInTransaction?(transaction: unknown, input: OfferEventInput, now: Date): Promise<OfferOutcome>;

  /**
   * Atomically cancels: a non-terminal execution becomes `cancelled`, its lease is cleared (so the
   * holder's next write fails with `LeaseLostError`) and its unsettled children become `cancelled`.
   * Returns false when already terminal; unknown id → `ExecutionNotFoundError`. Emits `cancelled`.
   * In the same transaction, its non-terminal, non-detached child executions are cancelled the same
   * way (recursively), and a parent parked on child executions is woken (as by a settling child).
   */
  cancelExecution(executionId: string, now: Date): Promise<boolean>;

  /**
   * Atomically restarts a `failed` or `cancelled` execution (the operator's `retry`): every step
   * row that is not `completed` is deleted (completed ones stay, to be replayed), and the execution
   * becomes `pending`, due now, with `attempt = 0`, `error`, `completedAt`, `timeoutAt`, the wait
   * and the lease cleared; input, `data`, mailbox and `startedAt` are kept. Unknown id →
   * `ExecutionNotFoundError`; any other status → `ExecutionNotRetryableError`; either way nothing
   * changes. Among racing calls exactly one succeeds. Emits a `retry` wake-up.
   */
  restartExecution(executionId: string, now: Date): Promise<ExecutionRecord>;

  /**
   * Atomically forks an execution (the operator's `rerun`): creates `executionId` (status `pending`,
   * due now, `attempt = 0`, `scheduledAt = createdAt = now`) of the source's task, version and priority, with
   * `payload` (or the source's input), `rerunOf = sourceId`, `rerunFromStep = fromStep`, no parent,
   * no `data`, an empty mailbox, and a history that is exactly the source's settled steps (status
   * `completed` or `failed`) before the position of the step named `fromStep` (the lowest position
   * with that name), copied field for field at the same positions; unsettled ones there are not
   * copied (they run again). The source is not changed. Unknown source → `ExecutionNotFoundError`;
   * no step named `fromStep` → `StepNotFoundError`; `executionId` exists (whatever its status) →
   * `ExecutionAlreadyExistsError`; in each case nothing is written. Among racing forks to one
   * `executionId` exactly one succeeds. Emits a `created` wake-up.
   */
  forkExecution(input: ForkExecutionInput, now: Date): Promise<ExecutionRecord>;

  /**
   * Atomically pauses (the operator's `pause`): a pending, waiting or running execution becomes
   * `paused` with `runAt`, `waitReason`, `waitEvent` and the lease cleared, so no claim returns it and
   * the holder of a running one gets `LeaseLostError` at its next write (its work since the last
   * checkpoint runs again after `resume`). Steps, mailbox and data are kept; offers are still
   * accepted (they wake nothing). Its parallel children already dispatched are not stopped. Already
   * paused → returned unchanged. Unknown → `ExecutionNotFoundError`; terminal →
   * `ExecutionNotPausableError`, nothing changes.
   */
  pauseExecution(executionId: string, now: Date): Promise<ExecutionRecord>;

  /**
   * Atomically resumes a `paused` execution: it becomes `pending`, due now (its replay re-parks a
   * sleep or wait that is not over). Any other status → `ExecutionNotPausedError`; unknown →
   * `ExecutionNotFoundError`; nothing changes. Among racing calls exactly one succeeds. Emits `resumed`.
   */
  resumeExecution(executionId: string, now: Date): Promise<ExecutionRecord>;

  /** One consistent read of the execution, its steps and its mailbox; `undefined` if unknown. */
  getExecution(executionId: string): Promise<ExecutionDetails | undefined>;

  /**
   * Run history. A `createExecution` that replaces a terminal
   * execution first archives it, with its steps and mailbox, as run `n` in the same transaction,
   * and the new execution is run `n + 1`; among racing starts exactly one archives. `getRun` reads
   * one run (the current one included); `undefined` when the id or the run is unknown.
   */
  getRun(executionId: string, run: number): Promise<ExecutionDetails | undefined>;

  /** Every run of the id, the current one included, newest first; empty for an unknown id. */
  listRuns(executionId: string): Promise<RunSummary[]>;

  /** Newest first (`createdAt` desc, then id), filtered and paginated, with steps and events. */
  listExecutions(filter: ListFilter): Promise<ExecutionDetails[]>;

  /**
   * The backlog, one consistent read served by an index: per task, the executions `pending` or
   * `waiting` with `runAt <= now` (due, not claimed) and the oldest such `runAt`. Tasks with none
   * are left out; order unspecified. Parallel steps and expired leases are not counted.
   */
  countDue(now: Date): Promise<DueCount[]>;

  /**
   * Queue statistics, one consistent read: one row per `concurrencyKey` and, for executions
   * without one, per task, of the executions that are `running` with an unexpired lease, due
   * (`pending`/`waiting` with `runAt <= now`, or `running` with an expired lease) or delayed (`pending`, `runAt > now`). Groups with none of
   * these are left out (waiting executions not yet due, e.g. sleeping, are not counted); order
   * unspecified. Parallel steps are not counted. Reads the non-terminal executions only.
   */
  queueStats(now: Date): Promise<QueueCount[]>;

  /**
   * Deletes matching terminal executions with their steps and events, and archived runs that match by status and completion time; returns how many runs went.
   */
  purge(filter: PurgeFilter): Promise<number>;

  // ── worker verbs ──────────────────────────────────────────────────────────────────────────

  /**
   * Atomically claims up to `limit` due units, each exactly once among concurrent claimers:
   * executions that are pending/waiting with `runAt <= now`, executions `running` whose lease expired
   * (a dead worker's), and children that are pending (with no `wakeAt`, or `wakeAt <= now`: a
   * retry's backoff, see `retryChild`) or running with an expired lease (whose parent is not terminal) — of the tasks in `taskNames` only. Units of other tasks are skipped
   * without being locked or changed: an execution of a task no running worker registered stays
   * `pending` (visible to reads) until a worker that registered it claims it. Each claimed unit gets
   * a new fencing token and `leaseExpiresAt = now + leaseMs`; a claimed execution becomes `running`
   * (`startedAt` set on the first claim), a child `running`. Returns each unit with its history:
   * an execution's whole history, a child's steps before its position (see `ClaimedChild.steps`).
   * Higher `priority` first (parallel children rank as 0), then oldest due time first.
   */
  claim(request: ClaimRequest): Promise<ClaimedWork[]>;

  /**
   * Atomic among all clients: counts one token in `request.key`'s fixed window
   * `floor(now / periodMs)` if fewer than `limit` were counted there (`{ taken: true }`), else
   * counts nothing and answers the window's end. `ctx.gate` calls it, then records the pass in the
   * history (a token whose pass was not recorded, after a crash, is spent: a window never passes
   * more than `limit`). Windows that ended may be deleted.
   */
  takeRateToken(request: RateTokenRequest, now: Date): Promise<RateTokenOutcome>;

  /** Fenced: extends the lease to `now + leaseMs`. */
  renewLease(lease: Lease, leaseMs: number, now: Date): Promise<void>;

  /** Fenced: inserts or replaces the step row at `step.position`, and applies the patch. */
  saveStep(lease: Lease, step: StepWrite, patch: ExecutionPatch, now: Date): Promise<void>;

  /**
   * Only with the `transactionalSteps` capability: opens a transaction on the store's database,
   * runs `input.body` in it, then, in the same transaction, applies the patch and writes the step
   * row `input.complete` returns, fenced (the fence is checked inside the transaction, after the
   * body), and commits. So the body's writes and the step row commit together or not at all:
   * - the body throws → rollback, its error rethrown, nothing written;
   * - the fence fails → rollback, `LeaseLostError` (the body's writes are undone);
   * - a serialization failure or a deadlock → the whole transaction, body included, is retried a
   *   bounded number of times, then its error is rethrown;
   * - the commit's outcome is unknown (connection lost) → `StoreUnavailableError`: the step row
   *   says after the next claim whether it committed.
   * Returns the step row written.
   */
  runTransactionalStep?(
    lease: Lease,
    input: TransactionalStepInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<StepWrite>;

  /**
   * Fenced: writes `step` (if given), parks the execution (`waiting`, `waitReason`, `runAt = wakeAt`),
   * clears the lease, applies the patch. Used for sleeps and step-retry backoffs.
   */
  suspend(lease: Lease, input: SuspendInput, patch: ExecutionPatch, now: Date): Promise<void>;

  /**
   * Fenced and atomic with `offerEvent` on the same execution. For the wait at `position`:
   * 1. the oldest unconsumed event named `eventName` exists and counts → it is consumed, the step
   *    is saved `completed` with its payload and the event's `traceContext` → `received`. Once `deadline <= now` the deadline
   *    wins: only an event offered at or before the deadline counts (`offeredAt <= deadline`);
   * 2. else `deadline <= now` → the step is saved `failed` with `timeoutError` → `timeout` (the
   *    mailbox is untouched: a late offer stays for a later wait of that name);
   * 3. else the step is saved `waiting` (wakeAt = deadline), the execution parks (`waiting`,
   *    `waitReason = "event"`, `waitEvent = eventName`, `runAt = wakeAt`), lease cleared → `suspended`.
   */
  awaitEvent(
    lease: Lease,
    input: AwaitEventInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<EventWaitOutcome>;

  /**
   * Fenced and atomic with `offerEvent` on the same execution: `awaitEvent` over several names.
   * For the wait at `position`, among the unconsumed events named in `eventNames` (once
   * `deadline <= now`, only those offered at or before the deadline), the one offered first (lowest
   * sequence, across names) is consumed and the step saved `completed` with result
   * `anyEventResult(name, payload)` and the event's `traceContext` → `received` with its name and payload; the others stay in the
   * mailbox. Else as `awaitEvent`: `timeout` at the deadline, or the step saved `waiting` and the
   * execution parked with `waitEvent = joinWaitEvents(eventNames)` → `suspended`; an offer of any
   * of the names wakes it (`offerEvent` answers only single-name waits itself).
   */
  awaitAnyEvent(
    lease: Lease,
    input: AwaitAnyEventInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<AnyEventWaitOutcome>;

  /**
   * Fenced: inserts the given children (kind `parallel`, status `pending`, due now) that do not exist
   * yet. If any child of the execution is unsettled, the execution parks (`waiting`, `waitReason =
   * "children"`, `runAt = wakeAt`), lease cleared → `suspended`; otherwise it keeps its lease and the
   * children's rows are returned.
   */
  dispatchChildren(
    lease: Lease,
    input: DispatchChildrenInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<DispatchOutcome>;

  /**
   * Fenced by the child's lease: records the child's outcome (completed or failed, with `attempts`)
   * and, in the same transaction, if no child of the parent is left unsettled and the parent is
   * waiting on children, makes the parent due now (emits a `child` wake-up). Exactly one settle
   * wakes the parent.
   */
  settleChild(lease: ChildLease, outcome: ChildOutcome, now: Date): Promise<void>;

  /**
   * Fenced by the child's lease: ends a failed attempt of a parallel child for a later one. The
   * child becomes `pending` with `error`, `attempts` and `wakeAt` recorded, its lease cleared; the
   * parent is not woken (the child is still unsettled). `claim` takes the child again only once
   * `wakeAt <= now`, so the backoff holds no worker slot and follows the injected clock.
   */
  retryChild(lease: ChildLease, input: RetryChildInput, now: Date): Promise<void>;

  /**
   * Fenced by the parent's lease; atomic. If the parent already has a step at `position`, nothing
   * changes and that step is returned (a repeated call). Otherwise the child execution is created
   * (`pending`, due now, `parentId` = the parent, `detached`) by the rules of `createExecution`
   * (an unfinished execution with `childId` → `ExecutionAlreadyExistsError`, nothing written; a
   * terminal one is replaced), and the parent's step at `position` is written in the same
   * transaction: kind `child`, status `completed`, `result` = the JSON text of `childId`. So a crash
   * can never leave a started child that its parent does not know, nor the reverse. Emits `created`.
   */
  startChildExecution(
    lease: Lease,
    input: StartChildInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<StepRecord>;

  /**
   * Fenced by the parent's lease; atomic with every verb that settles a child execution. If every
   * execution in `childIds` is terminal → `settled` with their rows, nothing written. Otherwise the
   * parent's step at `position` is saved (kind `child`, status `waiting`) and the parent parks
   * (`waiting`, `waitReason = "child-executions"`, `runAt = wakeAt`, lease cleared) → `suspended`.
   * A child settling (completed, failed, cancelled) while its parent is parked on child executions
   * makes the parent due now (`pending`, `runAt = now`) in the child's transaction and emits a
   * `child` wake-up: a settle can never slip between this check and the parking. An unknown id in
   * `childIds` → `ExecutionNotFoundError` (a purged child), nothing written.
   */
  awaitChildExecutions(
    lease: Lease,
    input: AwaitChildrenInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<ChildWaitOutcome>;

  /**
   * Fenced: ends this task attempt for a later retry: `attempt + 1`, status `pending`,
   * `runAt`, `error` recorded, lease cleared, and every step row that is not `completed` deleted
   * (so failed steps run again; completed ones are replayed).
   */
  retryExecution(lease: Lease, input: RetryExecutionInput, patch: ExecutionPatch, now: Date): Promise<void>;

  /**
   * Fenced: status `completed`, `result`, `completedAt = now`, lease cleared, an earlier attempt's
   * `error` cleared. A child execution wakes its parent (see `awaitChildExecutions`).
   */
  completeExecution(
    lease: Lease,
    input: CompleteExecutionInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<void>;

  /**
   * Fenced: status `failed`, `error`, `completedAt = now`, lease cleared, unsettled children
   * cancelled. A child execution wakes its parent (see `awaitChildExecutions`).
   */
  failExecution(lease: Lease, input: FailExecutionInput, patch: ExecutionPatch, now: Date): Promise<void>;

  /**
   * Fenced: gives the unit back without progress (graceful worker stop): an execution becomes
   * `pending` with `runAt = now`, a child `pending`; lease cleared; emits `released`.
   */
  releaseLease(lease: Lease, now: Date): Promise<void>;

  /**
   * Registers a wake-up listener (in-process events, NOTIFY, pub/sub). Stores without `push`
   * return a no-op: workers poll. Wake-ups are hints; missing one only costs latency.
   */
  subscribe(listener: (wake: WakeUp) => void): Unsubscribe;
}

export type { ChildLease, ExecutionDetails, ExecutionLease, ExecutionRecord, Lease, StepRecord };
