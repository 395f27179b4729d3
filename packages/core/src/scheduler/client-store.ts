import type { DueCount, PendingCounts, PendingCountsQuery, QueueCount } from "./backlog.js";
import type { ForkExecutionInput, ListFilter, NewExecution, PurgeFilter } from "./client-verbs.js";
import type { DebounceInput, DebounceOutcome } from "./debounce.js";
import type { OfferEventInput, OfferOutcome } from "./events.js";
import type { ExecutionDetails, ExecutionRecord, RunSummary } from "./records.js";
import type { CreateOutcome } from "./vocabularies.js";

/**
 * The client's verbs of the `Scheduler` contract: starts, offers, operator actions and reads
 * (see `./scheduler.ts` for the glossary, time and errors).
 */
export interface ClientStore {
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
   * due now, `attempt = 0`, `scheduledAt = createdAt = now`) of the source's task, version, priority,
   * `concurrencyKey` and `rateKey` (so its queue; the input's keys replace the source's when given), with
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
   * Optional: one group's unexpired leases and the top due priority, exactly as `queueStats(now)`
   * would report them (see {@link PendingCounts}), in one consistent read served by indexes, for
   * `status()` of a due execution (polled by the console). Without it `status()` reads
   * `queueStats`, a scan of the live executions.
   */
  pendingCounts?(query: PendingCountsQuery, now: Date): Promise<PendingCounts>;

  /**
   * Deletes matching terminal executions with their steps and events (and the debounce holder
   * naming one: see `debounceExecution`), and archived runs that match by status and completion
   * time; returns how many runs went.
   */
  purge(filter: PurgeFilter): Promise<number>;
}
