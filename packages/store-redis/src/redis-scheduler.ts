import { randomUUID } from "node:crypto";
import { type Clock, consoleLogger, type Scheduler, systemClock } from "@zart/core";
import {
  type AwaitAnyEventInput,
  type AwaitChildrenInput,
  type AwaitEventInput,
  type ChildLease,
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
  type Unsubscribe,
  type WakeUp,
  type WorkerRecord,
} from "@zart/core/store";
import { connect } from "./db/connection.js";
import type { RedisContext } from "./db/context.js";
import { ScriptExecutor } from "./db/executor.js";
import { FencedWrites } from "./db/fenced-writes.js";
import { KeyLayout } from "./db/keys.js";
import { databaseClock } from "./db/store-time.js";
import { DEFAULT_PREFIX, type RedisSchedulerOptions, resolveTimeSource } from "./options.js";
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
import { WakeUpChannel } from "./wake-ups.js";

/**
 * The `Scheduler` contract on Redis (ioredis): every state change is one Lua script (`scripts/`),
 * atomic with respect to every other client; wake-ups are pushed over pub/sub. All keys of a prefix
 * share one hash tag, hence one Cluster slot (see the README). Before first use it refuses a server
 * whose `maxmemory-policy` can evict keys. Durability is the server's: use AOF in production.
 */
export class RedisScheduler implements Scheduler {
  /** Many processes share one Redis; wake-ups are pushed; data lives in Redis. */
  readonly capabilities = defineCapabilities({
    multiProcess: true,
    push: true,
    persistent: true,
    answersOnOffer: true,
  });
  readonly clock: Clock;
  /** The key layout (prefix, hash tag, key names). */
  readonly keys: KeyLayout;
  readonly #wakeUps: WakeUpChannel;
  readonly #ctx: RedisContext;
  readonly #stopClock: (() => void) | undefined;

  /** Connects from `{ url }` (connections owned by the store) or uses `{ client }` (never closed). */
  constructor(options: RedisSchedulerOptions) {
    const timeSource = resolveTimeSource(options);
    const logger = options.logger ?? consoleLogger;
    this.keys = new KeyLayout(options.prefix ?? DEFAULT_PREFIX);
    const connection = connect(options, logger);
    if (timeSource === "database") {
      [this.clock, this.#stopClock] = databaseClock(connection.client, this.keys, options.clock, logger);
    } else {
      this.clock = options.clock ?? systemClock;
    }
    const origin = randomUUID();
    const executor = new ScriptExecutor(connection, this.keys, logger);
    const { client: source } = connection;
    this.#wakeUps = new WakeUpChannel({ source, channel: this.keys.channel, origin, logger });
    const emit = this.#wakeUps.emitLocal.bind(this.#wakeUps);
    this.#ctx = {
      executor,
      writes: new FencedWrites(executor, origin, (parentId) => emit("child", parentId)),
      origin,
      emit,
    };
  }

  /** The safety checks again, then records the key layout version (idempotent, safe in parallel). */
  async migrate(): Promise<string[]> {
    return await this.#ctx.executor.migrate();
  }

  /** One PING; throws `StoreUnavailableError` when Redis is unreachable or the store is closed. */
  async ping(): Promise<void> {
    await this.#ctx.executor.ping();
  }

  /** Closes the pub/sub connection and, for `{ url }`, the command connection. Idempotent. */
  async close(): Promise<void> {
    if (this.#ctx.executor.closed) return;
    this.#stopClock?.();
    await this.#wakeUps.close();
    await this.#ctx.executor.close();
  }

  /** Registers a wake-up listener: this scheduler's own wake-ups at once, everybody's over pub/sub. */
  subscribe(listener: (wake: WakeUp) => void): Unsubscribe {
    this.#ctx.executor.ensureOpen();
    return this.#wakeUps.subscribe(listener);
  }

  // ── schedule verbs ─────────────────────────────────────────────────────────────────────────────
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

  // ── worker registry ────────────────────────────────────────────────────────────────────────────
  heartbeatWorker(worker: Omit<WorkerRecord, "heartbeatAt">, now: Date) {
    return heartbeatWorker(this.#ctx, worker, now);
  }
  listWorkers() {
    return listWorkers(this.#ctx);
  }
  removeWorker(workerId: string) {
    return removeWorker(this.#ctx, workerId);
  }

  // ── pause rules ────────────────────────────────────────────────────────────────────────────────
  createPauseRule(rule: PauseRule) {
    return createPauseRule(this.#ctx, rule);
  }
  listPauseRules(now: Date) {
    return listPauseRules(this.#ctx, now);
  }
  deletePauseRule(ruleId: string) {
    return deletePauseRule(this.#ctx, ruleId);
  }

  // ── client verbs ───────────────────────────────────────────────────────────────────────────────
  createExecution(input: NewExecution, now: Date) {
    return createExecution(this.#ctx, input, now);
  }
  createExecutions(inputs: readonly NewExecution[], now: Date) {
    return createExecutions(this.#ctx, inputs, now);
  }
  debounceExecution(input: DebounceInput, now: Date) {
    return debounceExecution(this.#ctx, input, now);
  }
  offerEvent(input: OfferEventInput, now: Date) {
    return offerEvent(this.#ctx, input, now);
  }
  cancelExecution(executionId: string, now: Date) {
    return cancelExecution(this.#ctx, executionId, now);
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
  restartExecution(executionId: string, now: Date) {
    return restartExecution(this.#ctx, executionId, now);
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

  // ── worker verbs ───────────────────────────────────────────────────────────────────────────────
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
  settleChild(lease: ChildLease, outcome: Parameters<Scheduler["settleChild"]>[1], now: Date) {
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
}
