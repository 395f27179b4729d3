import type { AnyEventWaitOutcome, AwaitAnyEventInput } from "./any-event.js";
import type { AwaitChildrenInput, ChildWaitOutcome, StartChildInput } from "./child-executions.js";
import type { ClaimedWork, ClaimRequest, RateTokenOutcome, RateTokenRequest } from "./claims.js";
import type { Unsubscribe, WakeUp } from "./client-verbs.js";
import type { AwaitEventInput, EventWaitOutcome } from "./events.js";
import type { ChildLease, Lease } from "./lease.js";
import type {
  ChildOutcome,
  DispatchChildrenInput,
  DispatchOutcome,
  RetryChildInput,
} from "./parallel-children.js";
import type { StepRecord } from "./records.js";
import type { TransactionalStepInput } from "./transactional-step.js";
import type {
  CompleteExecutionInput,
  ExecutionPatch,
  FailExecutionInput,
  RetryExecutionInput,
  StepWrite,
  SuspendInput,
} from "./worker-writes.js";

/**
 * The worker's verbs of the `Scheduler` contract: claims, leases, step writes, waits, children
 * and completion (see `./scheduler.ts` for the glossary, time and errors).
 */
export interface WorkerStore {
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
