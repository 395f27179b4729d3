import { randomUUID } from "node:crypto";
import { type Clock, consoleLogger, type Logger, type Scheduler, systemClock } from "@zart/core";
import {
  type AnyEventWaitOutcome,
  type AwaitAnyEventInput,
  type AwaitChildrenInput,
  type AwaitEventInput,
  type ChildLease,
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
  joinWaitEvents,
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
  type Unsubscribe,
  type WakeUp,
} from "@zart/core/store";
import { millis, optional, patchArgs } from "./args.js";
import {
  type DetailsReply,
  encodeError,
  encodeStep,
  parseDetails,
  parseRow,
  parseStep,
  parseSteps,
} from "./codec.js";
import type { ScriptArg } from "./commands.js";
import { connect } from "./connection.js";
import { ScriptExecutor } from "./executor.js";
import { KeyLayout } from "./keys.js";
import { DEFAULT_PREFIX, type RedisSchedulerOptions } from "./options.js";
import { listIndex, parseClaimed, purgeStatuses } from "./replies.js";
import { WakeUpChannel } from "./wake-up-channel.js";

/** Executions deleted per purge script call (each call is atomic and short). */
const PURGE_BATCH = 500;

/**
 * The `Scheduler` contract on Redis (ioredis). Every state change is one Lua script, so it is
 * atomic with respect to every other client: claims are exactly-once, fenced writes check the
 * lease token before writing anything, an offer and an event wait never interleave, and the last
 * child settle wakes its parent exactly once. Due work sits in a sorted set scored by wake time;
 * lists and purges read sorted-set indexes (no `KEYS`/`SCAN`). Wake-ups are pushed over pub/sub.
 *
 * All keys of a prefix share one hash tag, hence one Cluster slot (see the README for why).
 * Before first use (or in `migrate()`) it refuses a server whose `maxmemory-policy` can evict keys
 * and warns when the server persists nothing. Durability is that of the Redis server: use AOF
 * (`appendonly yes`) in production.
 */
export class RedisScheduler implements Scheduler {
  /** Many processes share one Redis; wake-ups are pushed; data lives in Redis, not in the process. */
  readonly capabilities = defineCapabilities({
    multiProcess: true,
    push: true,
    persistent: true,
    answersOnOffer: true,
  });
  /** The clock the engine reads `now` from. */
  readonly clock: Clock;
  /** The key layout (prefix, hash tag, key names). */
  readonly keys: KeyLayout;
  readonly #executor: ScriptExecutor;
  readonly #wakeUps: WakeUpChannel;
  /** Identifies this scheduler's own wake-ups on the channel. */
  readonly #origin = randomUUID();

  /** Connects from `{ url }` (connections owned by the store) or uses `{ client }` (never closed). */
  constructor(options: RedisSchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    const logger: Logger = options.logger ?? consoleLogger;
    this.keys = new KeyLayout(options.prefix ?? DEFAULT_PREFIX);
    const connection = connect(options, logger);
    this.#executor = new ScriptExecutor(connection, this.keys, logger);
    this.#wakeUps = new WakeUpChannel({
      source: connection.client,
      channel: this.keys.channel,
      origin: this.#origin,
      logger,
    });
  }

  /**
   * Runs the safety checks (eviction policy, persistence) and records the key layout version.
   * Idempotent and safe from many processes at once. Throws `StoreUnavailableError` when the server
   * would evict keys or holds data of a newer layout.
   */
  async migrate(): Promise<string[]> {
    return await this.#executor.migrate();
  }

  /** One PING; throws `StoreUnavailableError` when Redis is unreachable or the store is closed. */
  async ping(): Promise<void> {
    await this.#executor.ping();
  }

  /** Closes the pub/sub connection and, for `{ url }`, the command connection. Idempotent. */
  async close(): Promise<void> {
    if (this.#executor.closed) return;
    await this.#wakeUps.close();
    await this.#executor.close();
  }

  /** Creates a pending execution (replacing a terminal one); publishes `created`. */
  async createExecution(input: NewExecution, now: Date): Promise<ExecutionRecord> {
    const row = await this.#executor.run("createExecution", input.executionId, [
      input.executionId,
      input.taskName,
      input.payload,
      millis(input.runAt),
      millis(now),
      this.#origin,
      randomUUID(),
      input.priority === undefined ? "" : String(input.priority),
      input.concurrencyKey ?? "",
    ]);
    this.#wakeUps.emitLocal("created", input.executionId);
    return parseRow(row as string[])!;
  }

  /** Appends the event and wakes an execution waiting on its name, atomically. */
  async offerEvent(input: OfferEventInput, now: Date): Promise<OfferOutcome> {
    const { executionId, eventName, payload, idempotencyKey, startIfMissing: start } = input;
    const outcome = await this.#executor.run("offerEvent", executionId, [
      executionId,
      eventName,
      payload,
      optional(idempotencyKey),
      millis(now),
      this.#origin,
      randomUUID(),
      optional(start?.taskName),
      start?.payload ?? "",
      start ? millis(start.runAt) : "",
      optional(start?.priority === undefined ? undefined : String(start.priority)),
      optional(start?.concurrencyKey),
    ]);
    if (outcome === "started") this.#wakeUps.emitLocal("created", executionId);
    if (outcome === "duplicate") return "duplicate";
    this.#wakeUps.emitLocal("event", executionId);
    return "delivered";
  }

  /** Cancels a non-terminal execution and its unsettled children; false when already terminal. */
  async cancelExecution(executionId: string, now: Date): Promise<boolean> {
    const reply = (await this.#executor.run("cancelExecution", executionId, [
      executionId,
      millis(now),
      this.#origin,
      randomUUID(),
    ])) as number | [number, string, ...string[]];
    if (reply === 0) return false;
    const [, woken = "", ...descendants] = Array.isArray(reply) ? reply : [1];
    for (const id of [executionId, ...descendants]) this.#wakeUps.emitLocal("cancelled", id);
    if (woken !== "") this.#wakeUps.emitLocal("child", woken);
    return true;
  }

  /** Restarts a failed or cancelled execution from its first unfinished step. */
  async restartExecution(executionId: string, now: Date): Promise<ExecutionRecord> {
    const reply = await this.#executor.run("restartExecution", executionId, [
      executionId,
      millis(now),
      this.#origin,
      randomUUID(),
    ]);
    this.#wakeUps.emitLocal("retry", executionId);
    return parseRow(reply as string[]) as ExecutionRecord;
  }

  /** One consistent read of the execution, its steps and its mailbox. */
  async getExecution(executionId: string): Promise<ExecutionDetails | undefined> {
    const reply = await this.#executor.run("getExecution", executionId, [executionId]);
    return parseDetails(reply as DetailsReply);
  }

  /** Newest first (`createdAt` desc, then id), from the matching sorted-set index. */
  async listExecutions(filter: ListFilter): Promise<ExecutionDetails[]> {
    if (filter.limit <= 0) {
      this.#executor.ensureOpen();
      return [];
    }
    if (filter.parentId !== undefined) return this.#listChildren(filter, filter.parentId);
    const page = await this.#executor.runGlobal("listExecutions", [
      listIndex(filter),
      Math.max(0, Math.floor(filter.offset)),
      Math.floor(filter.limit),
    ]);
    return (page as DetailsReply[]).flatMap((reply) => parseDetails(reply) ?? []);
  }

  /**
   * The child executions of `parentId` (one read of its `children:` index, newest first), with the
   * other filters applied here: a parent's children are few, so no per-filter index is kept.
   */
  async #listChildren(filter: ListFilter, parentId: string): Promise<ExecutionDetails[]> {
    const page = await this.#executor.runGlobal("listExecutions", [`children:${parentId}`, 0, 100_000]);
    const start = Math.max(0, Math.floor(filter.offset));
    return (page as DetailsReply[])
      .flatMap((reply) => parseDetails(reply) ?? [])
      .filter(
        ({ execution }) =>
          (filter.status === undefined || execution.status === filter.status) &&
          (filter.taskName === undefined || execution.taskName === filter.taskName),
      )
      .slice(start, start + Math.floor(filter.limit));
  }

  /** Deletes matching terminal executions in atomic batches; returns how many. */
  async purge(filter: PurgeFilter): Promise<number> {
    const statuses = purgeStatuses(filter);
    if (statuses.length === 0) return 0;
    let total = 0;
    for (;;) {
      const [deleted, more] = (await this.#executor.runGlobal("purge", [
        millis(filter.olderThan),
        PURGE_BATCH,
        ...statuses,
      ])) as [number, number];
      total += deleted;
      if (more === 0) return total;
    }
  }

  /** Claims up to `limit` due units in one script: exactly once among concurrent claimers. */
  async claim(request: ClaimRequest): Promise<ClaimedWork[]> {
    const limit = Math.min(Math.floor(request.limit), 1_000);
    if (limit < 1 || request.taskNames.length === 0) {
      this.#executor.ensureOpen();
      return [];
    }
    const reply = await this.#executor.runGlobal("claim", [
      millis(request.now),
      limit,
      Math.max(1, Math.ceil(request.leaseMs)),
      request.workerId,
      randomUUID(),
      request.concurrencyLimits ? JSON.stringify(request.concurrencyLimits) : "",
      ...request.taskNames,
    ]);
    return parseClaimed(reply);
  }

  /** Fenced: extends the lease (of the execution, or of the child for a child lease). */
  async renewLease(lease: Lease, leaseMs: number, now: Date): Promise<void> {
    await this.#executor.fenced("renewLease", lease, [position(lease), Math.ceil(leaseMs), millis(now)]);
  }

  /** Fenced: inserts or replaces the step at `step.position` and applies the patch. */
  async saveStep(lease: Lease, step: StepWrite, patch: ExecutionPatch, _now: Date): Promise<void> {
    await this.#executor.fenced("saveStep", lease, [
      step.position,
      step.kind,
      step.status,
      encodeStep(step),
      ...patchArgs(patch),
    ]);
  }

  /** Fenced: writes `step` if given and parks the execution until `wakeAt`. */
  async suspend(lease: Lease, input: SuspendInput, patch: ExecutionPatch, _now: Date): Promise<void> {
    const { step } = input;
    await this.#executor.fenced("suspend", lease, [
      millis(input.wakeAt),
      input.reason,
      step === undefined ? "" : step.position,
      step?.kind ?? "",
      step?.status ?? "",
      step === undefined ? "" : encodeStep(step),
      ...patchArgs(patch),
    ]);
  }

  /** Fenced, atomic with `offerEvent`: `received`, `timeout` or `suspended`. */
  async awaitEvent(
    lease: Lease,
    input: AwaitEventInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<EventWaitOutcome> {
    const [outcome, payload] = (await this.#executor.fenced("awaitEvent", lease, [
      input.position,
      input.stepName,
      input.eventName,
      millis(input.deadline),
      millis(input.wakeAt),
      encodeError(input.timeoutError),
      ...patchArgs(patch),
      millis(now),
    ])) as [EventWaitOutcome["outcome"], string?];
    if (outcome === "received") return payload === undefined ? { outcome } : { outcome, payload };
    return { outcome };
  }

  /** Fenced, atomic with `offerEvent`: the first offered event among several names (see the contract). */
  async awaitAnyEvent(
    lease: Lease,
    input: AwaitAnyEventInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<AnyEventWaitOutcome> {
    const [outcome, eventName, payload] = (await this.#executor.fenced("awaitAnyEvent", lease, [
      input.position,
      input.stepName,
      joinWaitEvents(input.eventNames),
      millis(input.deadline),
      millis(input.wakeAt),
      encodeError(input.timeoutError),
      ...patchArgs(patch),
      millis(now),
    ])) as [AnyEventWaitOutcome["outcome"], string, string];
    return outcome === "received" ? { outcome, eventName, payload } : { outcome };
  }

  /** Fenced: inserts the missing children; parks the execution while any child is unsettled. */
  async dispatchChildren(
    lease: Lease,
    input: DispatchChildrenInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<DispatchOutcome> {
    const pairs = input.children.flatMap(({ position, name }) => [position, name]);
    const [outcome, detail] = (await this.#executor.fenced("dispatchChildren", lease, [
      millis(input.wakeAt),
      millis(now),
      ...patchArgs(patch),
      this.#origin,
      ...pairs,
    ])) as ["suspended", number] | ["ready", string[]];
    if (outcome === "suspended") {
      if (detail === 1) this.#wakeUps.emitLocal("created", lease.executionId);
      return { suspended: true };
    }
    return { suspended: false, children: parseSteps(detail).filter((step) => step.kind === "parallel") };
  }

  /** Fenced by the child's lease: records its outcome; the last settle wakes a parent waiting on children. */
  async settleChild(
    lease: ChildLease,
    outcome: Parameters<Scheduler["settleChild"]>[1],
    now: Date,
  ): Promise<void> {
    const woke = await this.#executor.fenced("settleChild", lease, [
      lease.childPosition,
      outcome.status,
      optional(outcome.result),
      optional(outcome.error && encodeError(outcome.error)),
      outcome.attempts,
      millis(now),
      this.#origin,
    ]);
    if (woke === 1) this.#wakeUps.emitLocal("child", lease.executionId);
  }

  /** Fenced by the child's lease: parks a failed attempt of the child until `input.wakeAt`. */
  async retryChild(lease: ChildLease, input: RetryChildInput, _now: Date): Promise<void> {
    await this.#executor.fenced("retryChild", lease, [
      lease.childPosition,
      encodeError(input.error),
      input.attempts,
      millis(input.wakeAt),
    ]);
  }

  /** Fenced: ends the attempt for a retry at `runAt`, deleting every step that is not completed. */
  async retryExecution(
    lease: Lease,
    input: RetryExecutionInput,
    patch: ExecutionPatch,
    _now: Date,
  ): Promise<void> {
    await this.#executor.fenced("retryExecution", lease, [
      encodeError(input.error),
      millis(input.runAt),
      ...patchArgs(patch),
      this.#origin,
    ]);
    this.#wakeUps.emitLocal("retry", lease.executionId);
  }

  /** Fenced: the execution completes with `result` at `now`. */
  async completeExecution(
    lease: Lease,
    input: CompleteExecutionInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<void> {
    const reply = await this.#executor.fenced("completeExecution", lease, [
      optional(input.result),
      ...patchArgs(patch),
      millis(now),
      this.#origin,
    ]);
    if (typeof reply === "string") this.#wakeUps.emitLocal("child", reply);
  }

  /** Fenced: the execution fails with `error` at `now`; its unsettled children are cancelled. */
  async failExecution(
    lease: Lease,
    input: FailExecutionInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<void> {
    const reply = await this.#executor.fenced("failExecution", lease, [
      encodeError(input.error),
      ...patchArgs(patch),
      millis(now),
      this.#origin,
    ]);
    if (typeof reply === "string") this.#wakeUps.emitLocal("child", reply);
  }

  /** Fenced: starts a child execution and records the parent's `child` step, once per position. */
  async startChildExecution(
    lease: Lease,
    input: StartChildInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<StepRecord> {
    const [step, created] = (await this.#executor.fenced("startChildExecution", lease, [
      input.position,
      input.stepName,
      input.childId,
      input.taskName,
      input.payload,
      input.detached ? "1" : "0",
      ...patchArgs(patch),
      millis(now),
      this.#origin,
      JSON.stringify(input.childId),
    ])) as [string, number];
    if (created === 1) this.#wakeUps.emitLocal("created", input.childId);
    return parseStep(step);
  }

  /** Fenced: the children's rows when all are terminal; otherwise parks the parent until one settles. */
  async awaitChildExecutions(
    lease: Lease,
    input: AwaitChildrenInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<ChildWaitOutcome> {
    const [outcome, rows] = (await this.#executor.fenced("awaitChildExecutions", lease, [
      input.position,
      input.stepName,
      millis(input.wakeAt),
      ...patchArgs(patch),
      millis(now),
      ...input.childIds,
    ])) as ["settled" | "suspended", string[][]?];
    if (outcome === "suspended") return { outcome };
    return { outcome, children: (rows ?? []).map((row) => parseRow(row)!) };
  }

  /** Fenced: gives the unit back without progress; publishes `released`. */
  async releaseLease(lease: Lease, now: Date): Promise<void> {
    await this.#executor.fenced("releaseLease", lease, [position(lease), millis(now), this.#origin]);
    this.#wakeUps.emitLocal("released", lease.executionId);
  }

  /** Registers a wake-up listener: this scheduler's own wake-ups at once, everybody's over pub/sub. */
  subscribe(listener: (wake: WakeUp) => void): Unsubscribe {
    this.#executor.ensureOpen();
    return this.#wakeUps.subscribe(listener);
  }
}

/** The child position argument of a lease (`""` for the execution itself). */
function position(lease: Lease): ScriptArg {
  return lease.kind === "child" ? lease.childPosition : "";
}
