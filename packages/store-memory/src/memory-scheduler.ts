import {
  type Clock,
  ExecutionAlreadyExistsError,
  ExecutionNotFoundError,
  isTerminal,
  type Scheduler,
  StoreUnavailableError,
  systemClock,
} from "@zart/core";
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
  type DueSchedulesRequest,
  defineCapabilities,
  type EventWaitOutcome,
  type ExecutionDetails,
  type ExecutionPatch,
  type ExecutionRecord,
  type FailExecutionInput,
  type ForkExecutionInput,
  type Lease,
  type ListFilter,
  type NewExecution,
  type OfferEventInput,
  type OfferOutcome,
  type PurgeFilter,
  type RetryChildInput,
  type RetryExecutionInput,
  type RunSummary,
  ScheduleAlreadyExistsError,
  type ScheduleListFilter,
  type ScheduleWrite,
  type StartChildInput,
  type StepRecord,
  type StepWrite,
  type StoredSchedule,
  type SuspendInput,
  type Unsubscribe,
  type WakeUp,
  WakeUpHub,
} from "@zart/core/store";
import {
  awaitChildExecutions,
  cancelChildExecutions,
  startChildExecution,
  wakeParent,
} from "./child-executions.js";
import { cancelUnsettledChildren, dispatchChildren, retryChild, settleChild } from "./children.js";
import { claimDue } from "./claim.js";
import { awaitAnyEvent, awaitEvent, offerEvent, startsOnOffer } from "./events.js";
import { fenceChild, fenceExecution } from "./fencing.js";
import { forkExecution } from "./fork.js";
import { finish, releaseChild, releaseExecution, retryAttempt } from "./lifecycle.js";
import { type ExecutionRow, MemoryStorage } from "./memory-storage.js";
import { pauseExecution, resumeExecution } from "./pause.js";
import { listExecutions, purge } from "./queries.js";
import { restartExecution } from "./restart.js";
import { applyPatch, copy, detailsOf, newExecutionRecord, park, putStep, toStepRecord } from "./rows.js";
import { getRun, insertRun, listRuns } from "./runs.js";
import { copySchedule, dueSchedules, listSchedules, writeSchedule } from "./schedules.js";

/** Options of {@link MemoryScheduler}. */
export interface MemorySchedulerOptions {
  /** The clock the engine reads `now` from. Default: the system clock. */
  clock?: Clock;
  /**
   * The state to work on. Pass another scheduler's `storage` to reopen its data after `close()`.
   * Default: a fresh, empty `MemoryStorage`.
   */
  storage?: MemoryStorage;
}

/**
 * The `Scheduler` contract held in process memory: a real implementation with the semantics of the
 * database stores (fencing, exactly-once claims, mailboxes, parallel children), for tests and
 * single-process use. Every verb runs synchronously inside, so it is atomic with respect to every
 * other call; records are deep-copied on the way in and out. A fenced verb checks the lease before
 * changing anything, so a rejected write (`LeaseLostError`) changes nothing.
 *
 * Data lives in its {@link MemoryStorage} and survives `close()` as long as that object does; it
 * is never shared between processes. Wake-ups are pushed to `subscribe` listeners in-process.
 */
export class MemoryScheduler implements Scheduler {
  /** One process, in-process push, data outlives `close()` (through its `MemoryStorage`). */
  readonly capabilities = defineCapabilities({
    multiProcess: false,
    push: true,
    persistent: true,
    answersOnOffer: true,
    runHistory: true,
  });
  /** The clock the engine reads `now` from. */
  readonly clock: Clock;
  /** The state this scheduler works on; hand it to a new `MemoryScheduler` to reopen the data. */
  readonly storage: MemoryStorage;
  readonly #wakeUps = new WakeUpHub();
  #closed = false;

  constructor(options: MemorySchedulerOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.storage = options.storage ?? new MemoryStorage();
  }

  /** No schema to create: a no-op. */
  async migrate(): Promise<string[]> {
    this.#ensureOpen();
    return [];
  }

  /** Resolves while open; throws `StoreUnavailableError` once closed. */
  async ping(): Promise<void> {
    this.#ensureOpen();
  }

  /** Stops this scheduler: later calls throw `StoreUnavailableError`; the storage keeps its data. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wakeUps.clear();
  }

  /** Creates a pending execution, replacing a terminal one of the same id with its steps and events. */
  async createExecution(input: NewExecution, now: Date): Promise<ExecutionRecord> {
    this.#ensureOpen();
    const existing = this.storage.execution(input.executionId);
    if (existing !== undefined && !isTerminal(existing.record.status)) {
      throw new ExecutionAlreadyExistsError(input.executionId);
    }
    const record = insertRun(this.storage, newExecutionRecord(input, now));
    this.#emit("created", input.executionId);
    return copy(record);
  }

  /**
   * Appends an event to the mailbox, waking the execution if it waits on that name; with
   * `startIfMissing`, first creates an unknown or terminal execution (one synchronous pass).
   */
  async offerEvent(input: OfferEventInput, now: Date): Promise<OfferOutcome> {
    this.#ensureOpen();
    const start = startsOnOffer(this.storage, input);
    if (start !== undefined) insertRun(this.storage, newExecutionRecord(start, now));
    const outcome = offerEvent(this.storage, input, now);
    if (start !== undefined) this.#emit("created", input.executionId);
    if (outcome === "delivered") this.#emit("event", input.executionId);
    return outcome;
  }

  /** Cancels a non-terminal execution and its unsettled children; false when already terminal. */
  async cancelExecution(executionId: string, now: Date): Promise<boolean> {
    this.#ensureOpen();
    const row = this.storage.execution(executionId);
    if (row === undefined) throw new ExecutionNotFoundError(executionId);
    if (isTerminal(row.record.status)) return false;
    finish(row, "cancelled", now);
    cancelUnsettledChildren(this.storage, executionId, now);
    const descendants = cancelChildExecutions(this.storage, executionId, now);
    this.#wakeParentOf(row, now);
    for (const id of [executionId, ...descendants]) this.#emit("cancelled", id);
    return true;
  }

  /** Restarts a failed or cancelled execution from its first unfinished step. */
  async restartExecution(executionId: string, now: Date): Promise<ExecutionRecord> {
    this.#ensureOpen();
    const record = restartExecution(this.storage, executionId, now);
    this.#emit("retry", executionId);
    return record;
  }

  /** Creates a rerun of an execution whose history is its settled steps before `fromStep`. */
  async forkExecution(input: ForkExecutionInput, now: Date): Promise<ExecutionRecord> {
    this.#ensureOpen();
    const record = forkExecution(this.storage, input, now);
    this.#emit("created", input.executionId);
    return record;
  }

  /** Pauses a live execution: not claimed until resumed. */
  async pauseExecution(executionId: string, _now: Date): Promise<ExecutionRecord> {
    this.#ensureOpen();
    return pauseExecution(this.storage, executionId);
  }

  /** Makes a paused execution due now. */
  async resumeExecution(executionId: string, now: Date): Promise<ExecutionRecord> {
    this.#ensureOpen();
    const record = resumeExecution(this.storage, executionId, now);
    this.#emit("resumed", executionId);
    return record;
  }

  /** A copy of the execution with its steps and mailbox; `undefined` if unknown. */
  async getExecution(executionId: string): Promise<ExecutionDetails | undefined> {
    this.#ensureOpen();
    const row = this.storage.execution(executionId);
    return row === undefined ? undefined : detailsOf(this.storage, row);
  }

  /** Run `run` of the id, archived or current; `undefined` when unknown. */
  async getRun(executionId: string, run: number): Promise<ExecutionDetails | undefined> {
    this.#ensureOpen();
    return getRun(this.storage, executionId, run);
  }

  /** Every run of the id, the current one included, newest first. */
  async listRuns(executionId: string): Promise<RunSummary[]> {
    this.#ensureOpen();
    return listRuns(this.storage, executionId);
  }

  /** Newest first (`createdAt` desc, then `executionId` asc), filtered, then paginated. */
  async listExecutions(filter: ListFilter): Promise<ExecutionDetails[]> {
    this.#ensureOpen();
    return listExecutions(this.storage, filter);
  }

  /** Deletes terminal executions (of `statuses`, default all) completed before `olderThan`. */
  async purge(filter: PurgeFilter): Promise<number> {
    this.#ensureOpen();
    return purge(this.storage, filter);
  }

  /** Claims up to `limit` due executions and children, oldest due time first, each exactly once. */
  async claim(request: ClaimRequest): Promise<ClaimedWork[]> {
    this.#ensureOpen();
    return claimDue(this.storage, request);
  }

  /** Fenced: extends the lease (of the execution, or of the child when `childPosition` is set). */
  async renewLease(lease: Lease, leaseMs: number, now: Date): Promise<void> {
    this.#ensureOpen();
    const expiresAt = new Date(now.getTime() + leaseMs);
    if (lease.kind === "child") {
      fenceChild(this.storage, lease).child.lease = { token: lease.token, expiresAt };
    } else {
      fenceExecution(this.storage, lease).record.leaseExpiresAt = expiresAt;
    }
  }

  /** Fenced: inserts or replaces the step at `step.position` and applies the patch. */
  async saveStep(lease: Lease, step: StepWrite, patch: ExecutionPatch, _now: Date): Promise<void> {
    this.#ensureOpen();
    const record = toStepRecord(step);
    const row = fenceExecution(this.storage, lease);
    putStep(this.storage, lease.executionId, record);
    applyPatch(row.record, patch);
  }

  /** Fenced: writes `step` if given and parks the execution until `wakeAt` (sleep or retry backoff). */
  async suspend(lease: Lease, input: SuspendInput, patch: ExecutionPatch, _now: Date): Promise<void> {
    this.#ensureOpen();
    const record = input.step && toStepRecord(input.step);
    const row = fenceExecution(this.storage, lease);
    if (record !== undefined) putStep(this.storage, lease.executionId, record);
    applyPatch(row.record, patch);
    park(row, input.reason, input.wakeAt);
  }

  /** Fenced, atomic with `offerEvent`: `received`, `timeout` or `suspended` (see the contract). */
  async awaitEvent(
    lease: Lease,
    input: AwaitEventInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<EventWaitOutcome> {
    this.#ensureOpen();
    const row = fenceExecution(this.storage, lease);
    applyPatch(row.record, patch);
    return awaitEvent(this.storage, row, input, now);
  }

  /** Fenced, atomic with `offerEvent`: the first offered event among several names (see the contract). */
  async awaitAnyEvent(
    lease: Lease,
    input: AwaitAnyEventInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<AnyEventWaitOutcome> {
    this.#ensureOpen();
    const row = fenceExecution(this.storage, lease);
    applyPatch(row.record, patch);
    return awaitAnyEvent(this.storage, row, input, now);
  }

  /** Fenced: inserts the missing children; parks the execution while any child is unsettled. */
  async dispatchChildren(
    lease: Lease,
    input: DispatchChildrenInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<DispatchOutcome> {
    this.#ensureOpen();
    const row = fenceExecution(this.storage, lease);
    applyPatch(row.record, patch);
    return dispatchChildren(this.storage, row, input, now);
  }

  /** Fenced by the child's lease: records its outcome; the last settle wakes a parent waiting on children. */
  async settleChild(lease: ChildLease, outcome: ChildOutcome, now: Date): Promise<void> {
    this.#ensureOpen();
    const { parent, child } = fenceChild(this.storage, lease);
    if (settleChild(this.storage, parent, child, outcome, now)) this.#emit("child", lease.executionId);
  }

  /** Fenced by the child's lease: parks a failed attempt of the child until `input.wakeAt`. */
  async retryChild(lease: ChildLease, input: RetryChildInput, _now: Date): Promise<void> {
    this.#ensureOpen();
    retryChild(fenceChild(this.storage, lease).child, input);
  }

  /** Fenced: starts a child execution and records the parent's `child` step, once per position. */
  async startChildExecution(
    lease: Lease,
    input: StartChildInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<StepRecord> {
    this.#ensureOpen();
    const row = fenceExecution(this.storage, lease);
    const known = this.storage.steps(lease.executionId).has(input.position);
    const step = startChildExecution(this.storage, row, input, now);
    applyPatch(row.record, patch);
    if (!known) this.#emit("created", input.childId);
    return step;
  }

  /** Fenced: the children's rows when all are terminal; otherwise parks the parent until one settles. */
  async awaitChildExecutions(
    lease: Lease,
    input: AwaitChildrenInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<ChildWaitOutcome> {
    this.#ensureOpen();
    const row = fenceExecution(this.storage, lease);
    const outcome = awaitChildExecutions(this.storage, row, input, now);
    applyPatch(row.record, patch);
    return outcome;
  }

  /** Fenced: ends the attempt for a retry at `runAt`, deleting every step that is not completed. */
  async retryExecution(
    lease: Lease,
    input: RetryExecutionInput,
    patch: ExecutionPatch,
    _now: Date,
  ): Promise<void> {
    this.#ensureOpen();
    const error = copy(input.error);
    const row = fenceExecution(this.storage, lease);
    applyPatch(row.record, patch);
    retryAttempt(this.storage, row, error, input.runAt);
    this.#emit("retry", lease.executionId);
  }

  /** Fenced: the execution completes with `result` at `now`. */
  async completeExecution(
    lease: Lease,
    input: CompleteExecutionInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<void> {
    this.#ensureOpen();
    const row = fenceExecution(this.storage, lease);
    applyPatch(row.record, patch);
    finish(row, "completed", now);
    delete row.record.error;
    if (input.result === undefined) delete row.record.result;
    else row.record.result = input.result;
    this.#wakeParentOf(row, now);
  }

  /** Fenced: the execution fails with `error` at `now`; its unsettled children are cancelled. */
  async failExecution(
    lease: Lease,
    input: FailExecutionInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<void> {
    this.#ensureOpen();
    const error = copy(input.error);
    const row = fenceExecution(this.storage, lease);
    applyPatch(row.record, patch);
    finish(row, "failed", now);
    row.record.error = error;
    cancelUnsettledChildren(this.storage, lease.executionId, now);
    this.#wakeParentOf(row, now);
  }

  /** Fenced: gives the unit back without progress; an execution becomes due now, a child pending. */
  async releaseLease(lease: Lease, now: Date): Promise<void> {
    this.#ensureOpen();
    if (lease.kind === "child") releaseChild(fenceChild(this.storage, lease).child, now);
    else releaseExecution(fenceExecution(this.storage, lease), now);
    this.#emit("released", lease.executionId);
  }

  /** Registers an in-process wake-up listener (called in a microtask); returns its unsubscribe. */
  subscribe(listener: (wake: WakeUp) => void): Unsubscribe {
    this.#ensureOpen();
    return this.#wakeUps.subscribe(listener);
  }

  #wakeParentOf(row: ExecutionRow, now: Date): void {
    const parentId = wakeParent(this.storage, row, now);
    if (parentId !== undefined) this.#emit("child", parentId);
  }

  /** Inserts the schedule; its id in use → `ScheduleAlreadyExistsError`. */
  async createSchedule(schedule: StoredSchedule, _now: Date): Promise<void> {
    this.#ensureOpen();
    if (this.storage.schedules.has(schedule.scheduleId))
      throw new ScheduleAlreadyExistsError(schedule.scheduleId);
    this.storage.schedules.set(schedule.scheduleId, copySchedule(schedule));
  }

  /** Compare-and-set on `version`, creating the fires' executions that do not exist yet. */
  async writeSchedule(write: ScheduleWrite, now: Date): Promise<boolean> {
    this.#ensureOpen();
    const created = writeSchedule(this.storage, write, now);
    for (const id of created ?? []) this.#emit("created", id);
    return created !== undefined;
  }

  async deleteSchedule(scheduleId: string): Promise<boolean> {
    this.#ensureOpen();
    return this.storage.schedules.delete(scheduleId);
  }

  async getSchedule(scheduleId: string): Promise<StoredSchedule | undefined> {
    this.#ensureOpen();
    const row = this.storage.schedules.get(scheduleId);
    return row && copySchedule(row);
  }

  async listSchedules(filter: ScheduleListFilter): Promise<StoredSchedule[]> {
    this.#ensureOpen();
    return listSchedules(this.storage, filter);
  }

  async dueSchedules(request: DueSchedulesRequest): Promise<StoredSchedule[]> {
    this.#ensureOpen();
    return dueSchedules(this.storage, request);
  }

  #emit(reason: WakeUp["reason"], executionId: string): void {
    this.#wakeUps.emit({ reason, executionId });
  }

  #ensureOpen(): void {
    if (this.#closed) {
      throw new StoreUnavailableError(
        "The scheduler is closed; create a new MemoryScheduler (over the same MemoryStorage to keep the data).",
      );
    }
  }
}
