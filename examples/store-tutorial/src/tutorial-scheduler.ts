import {
  type AwaitAnyEventInput,
  type AwaitChildrenInput,
  type AwaitEventInput,
  type ChildLease,
  type ChildOutcome,
  type ClaimRequest,
  type Clock,
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
  type Scheduler,
  type ScheduleWrite,
  type StartChildInput,
  type StepWrite,
  type StoredSchedule,
  StoreUnavailableError,
  type SuspendInput,
  type Unsubscribe,
  type WakeUp,
  type WorkerRecord,
} from "@zart/core/store";
import { resolveOptions, type TutorialSchedulerOptions } from "./options.js";
import type { TutorialStorage } from "./storage/tutorial-storage.js";
import { awaitAnyEvent } from "./verbs/await-any-event.js";
import { awaitEvent } from "./verbs/await-event.js";
import { cancelExecution } from "./verbs/cancel-execution.js";
import { awaitChildExecutions, startChildExecution } from "./verbs/child-executions.js";
import { claim } from "./verbs/claim.js";
import { countDue } from "./verbs/count-due.js";
import { createExecution } from "./verbs/create-execution.js";
import { createExecutions } from "./verbs/create-executions.js";
import { debounceExecution } from "./verbs/debounce-execution.js";
import { dispatchChildren } from "./verbs/dispatch-children.js";
import { completeExecution, failExecution, retryExecution } from "./verbs/finish-execution.js";
import { forkExecution } from "./verbs/fork-execution.js";
import { releaseLease, renewLease } from "./verbs/lease.js";
import { offerEvent } from "./verbs/offer-event.js";
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
import { heartbeatWorker, listWorkers, removeWorker } from "./verbs/workers.js";

/**
 * The store of the "Writing a store" tutorial: the plain contract over Maps. Each verb lives in
 * `verbs/` and does all its reads and writes synchronously (no `await` in between), so in one
 * process each verb is atomic without a lock; it is single-process by design. No push, no
 * answer-on-offer; run history (`storage/runs.ts` archives a replaced run). This class only checks
 * that it is open and hands each verb the storage.
 */
export class TutorialScheduler implements Scheduler {
  readonly capabilities = defineCapabilities({});
  readonly clock: Clock;
  readonly storage: TutorialStorage;
  #closed = false;

  constructor(options: TutorialSchedulerOptions = {}) {
    const { clock, storage } = resolveOptions(options);
    this.clock = clock;
    this.storage = storage;
  }

  async migrate(): Promise<string[]> {
    this.#open();
    return [];
  }

  async ping(): Promise<void> {
    this.#open();
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  /** No push: workers poll. */
  subscribe(_listener: (wake: WakeUp) => void): Unsubscribe {
    this.#open();
    return () => {};
  }

  async createExecution(input: NewExecution, now: Date) {
    return createExecution(this.#open(), input, now);
  }

  async createExecutions(inputs: readonly NewExecution[], now: Date) {
    return createExecutions(this.#open(), inputs, now);
  }

  async debounceExecution(input: DebounceInput, now: Date) {
    return debounceExecution(this.#open(), input, now);
  }

  async offerEvent(input: OfferEventInput, now: Date) {
    return offerEvent(this.#open(), input, now);
  }

  async cancelExecution(executionId: string, now: Date) {
    return cancelExecution(this.#open(), executionId, now);
  }

  async restartExecution(executionId: string, now: Date) {
    return restartExecution(this.#open(), executionId, now);
  }

  async forkExecution(input: ForkExecutionInput, now: Date) {
    return forkExecution(this.#open(), input, now);
  }

  async pauseExecution(executionId: string, _now: Date) {
    return pauseExecution(this.#open(), executionId);
  }
  async resumeExecution(executionId: string, now: Date) {
    return resumeExecution(this.#open(), executionId, now);
  }

  async getExecution(executionId: string) {
    return getExecution(this.#open(), executionId);
  }
  async getRun(executionId: string, run: number) {
    return getRun(this.#open(), executionId, run);
  }
  async listRuns(executionId: string) {
    return listRuns(this.#open(), executionId);
  }
  async listExecutions(filter: ListFilter) {
    return listExecutions(this.#open(), filter);
  }
  async purge(filter: PurgeFilter) {
    return purge(this.#open(), filter);
  }
  async countDue(now: Date) {
    return countDue(this.#open(), now);
  }

  async queueStats(now: Date) {
    return queueStats(this.#open(), now);
  }
  async pendingCounts(query: PendingCountsQuery, now: Date) {
    return pendingCounts(this.#open(), query, now);
  }

  async claim(request: ClaimRequest) {
    return claim(this.#open(), request);
  }

  async takeRateToken(request: RateTokenRequest, now: Date) {
    return takeRateToken(this.#open(), request, now);
  }

  async renewLease(lease: Lease, leaseMs: number, now: Date) {
    renewLease(this.#open(), lease, leaseMs, now);
  }
  async releaseLease(lease: Lease, now: Date) {
    releaseLease(this.#open(), lease, now);
  }

  async saveStep(lease: Lease, step: StepWrite, patch: ExecutionPatch, _now: Date) {
    saveStep(this.#open(), lease, step, patch);
  }

  async suspend(lease: Lease, input: SuspendInput, patch: ExecutionPatch, _now: Date) {
    suspend(this.#open(), lease, input, patch);
  }

  async awaitEvent(lease: Lease, input: AwaitEventInput, patch: ExecutionPatch, now: Date) {
    return awaitEvent(this.#open(), lease, input, patch, now);
  }

  async awaitAnyEvent(lease: Lease, input: AwaitAnyEventInput, patch: ExecutionPatch, now: Date) {
    return awaitAnyEvent(this.#open(), lease, input, patch, now);
  }

  async dispatchChildren(lease: Lease, input: DispatchChildrenInput, patch: ExecutionPatch, now: Date) {
    return dispatchChildren(this.#open(), lease, input, patch, now);
  }

  async settleChild(lease: ChildLease, outcome: ChildOutcome, now: Date) {
    settleChild(this.#open(), lease, outcome, now);
  }
  async retryChild(lease: ChildLease, input: RetryChildInput, _now: Date) {
    retryChild(this.#open(), lease, input);
  }

  async startChildExecution(lease: Lease, input: StartChildInput, patch: ExecutionPatch, now: Date) {
    return startChildExecution(this.#open(), lease, input, patch, now);
  }
  async awaitChildExecutions(lease: Lease, input: AwaitChildrenInput, patch: ExecutionPatch, now: Date) {
    return awaitChildExecutions(this.#open(), lease, input, patch, now);
  }

  async retryExecution(lease: Lease, input: RetryExecutionInput, patch: ExecutionPatch, _now: Date) {
    retryExecution(this.#open(), lease, input, patch);
  }
  async completeExecution(lease: Lease, input: CompleteExecutionInput, patch: ExecutionPatch, now: Date) {
    completeExecution(this.#open(), lease, input, patch, now);
  }
  async failExecution(lease: Lease, input: FailExecutionInput, patch: ExecutionPatch, now: Date) {
    failExecution(this.#open(), lease, input, patch, now);
  }

  async createSchedule(schedule: StoredSchedule, _now: Date) {
    createSchedule(this.#open(), schedule);
  }
  async writeSchedule(write: ScheduleWrite, now: Date) {
    return writeSchedule(this.#open(), write, now);
  }
  async deleteSchedule(scheduleId: string) {
    return deleteSchedule(this.#open(), scheduleId);
  }
  async getSchedule(scheduleId: string) {
    return getSchedule(this.#open(), scheduleId);
  }
  async listSchedules(filter: ScheduleListFilter) {
    return listSchedules(this.#open(), filter);
  }
  async dueSchedules(request: DueSchedulesRequest) {
    return dueSchedules(this.#open(), request);
  }

  async heartbeatWorker(worker: Omit<WorkerRecord, "heartbeatAt">, now: Date) {
    heartbeatWorker(this.#open(), worker, now);
  }
  async listWorkers() {
    return listWorkers(this.#open());
  }
  async removeWorker(workerId: string) {
    return removeWorker(this.#open(), workerId);
  }

  async createPauseRule(rule: PauseRule) {
    createPauseRule(this.#open(), rule);
  }
  async listPauseRules(now: Date) {
    return listPauseRules(this.#open(), now);
  }
  async deletePauseRule(ruleId: string) {
    return deletePauseRule(this.#open(), ruleId);
  }

  /** The data; every verb starts here, so a closed scheduler refuses them all. */
  #open(): TutorialStorage {
    if (this.#closed) throw new StoreUnavailableError("The scheduler is closed.");
    return this.storage;
  }
}
