import {
  type AnyEventWaitOutcome,
  type AwaitAnyEventInput,
  type AwaitChildrenInput,
  type AwaitEventInput,
  anyEventResult,
  type ChildLease,
  type ChildOutcome,
  type ChildWaitOutcome,
  type ClaimedWork,
  type ClaimRequest,
  type Clock,
  type CompleteExecutionInput,
  childLease,
  type DispatchChildrenInput,
  type DispatchOutcome,
  defineCapabilities,
  type EventRecord,
  type EventWaitOutcome,
  ExecutionAlreadyExistsError,
  type ExecutionDetails,
  ExecutionNotFoundError,
  ExecutionNotRetryableError,
  type ExecutionPatch,
  type ExecutionRecord,
  ExecutionTerminalError,
  executionLease,
  type FailExecutionInput,
  isTerminal,
  joinWaitEvents,
  type Lease,
  type ListFilter,
  leaseLost,
  type NewExecution,
  type OfferEventInput,
  type OfferOutcome,
  type PurgeFilter,
  RETRYABLE_STATUSES,
  type RetryChildInput,
  type RetryExecutionInput,
  type Scheduler,
  type StartChildInput,
  type StepRecord,
  type StepWrite,
  StoreUnavailableError,
  type SuspendInput,
  systemClock,
  type Unsubscribe,
  type WakeUp,
  waitsOnEvent,
} from "@zart/core/store";
import { awaitChildren, cancelChildren, startChild, wakeParent } from "./child-executions.js";
import { type DueUnit, withinLimits } from "./concurrency-limits.js";
import { applyPatch, clearLease, details, finish, park, sortedSteps, writeStep } from "./rows.js";
import { type Entry, TutorialStorage } from "./tutorial-storage.js";

export interface TutorialSchedulerOptions {
  clock?: Clock;
  /** The data to work on (another scheduler's, to reopen it). Default: new and empty. */
  storage?: TutorialStorage;
}

/**
 * The store of the "Writing a store" tutorial: the plain contract over Maps. Every verb does all
 * its reads and writes synchronously (no `await` in between), so in one process each verb is
 * atomic without a lock; it is single-process by design. No push, no answer-on-offer.
 */
export class TutorialScheduler implements Scheduler {
  readonly capabilities = defineCapabilities({});
  readonly clock: Clock;
  readonly storage: TutorialStorage;

  constructor(options: TutorialSchedulerOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.storage = options.storage ?? new TutorialStorage();
  }

  #closed = false;

  async migrate(): Promise<string[]> {
    this.#entries();
    return [];
  }
  async ping(): Promise<void> {
    this.#entries();
  }
  async close(): Promise<void> {
    this.#closed = true;
  }

  // ── client verbs ──

  async createExecution(input: NewExecution, now: Date): Promise<ExecutionRecord> {
    const existing = this.#entries().get(input.executionId);
    if (existing && !isTerminal(existing.record.status))
      throw new ExecutionAlreadyExistsError(input.executionId);
    return structuredClone(this.#insert(input, now));
  }

  /** Writes a new pending run of `input`, replacing any row of that id (with its steps and events). */
  #insert(input: NewExecution, now: Date): ExecutionRecord {
    const record: ExecutionRecord = {
      executionId: input.executionId,
      taskName: input.taskName,
      payload: input.payload,
      status: "pending",
      attempt: 0,
      runAt: new Date(input.runAt),
      scheduledAt: new Date(input.runAt),
      createdAt: new Date(now),
      ...(input.priority ? { priority: input.priority } : {}),
      ...(input.concurrencyKey === undefined ? {} : { concurrencyKey: input.concurrencyKey }),
    };
    this.#entries().set(input.executionId, { record, steps: new Map(), children: new Map(), events: [] });
    return record;
  }

  async offerEvent(input: OfferEventInput, now: Date): Promise<OfferOutcome> {
    const key = input.idempotencyKey;
    const found = this.#entries().get(input.executionId);
    if (key !== undefined && found?.events.some((event) => event.idempotencyKey === key)) return "duplicate";
    // Signal-with-start: an unknown or terminal execution is (re)created first, in the same pass.
    if (input.startIfMissing && (!found || isTerminal(found.record.status))) {
      this.#insert(input.startIfMissing, now);
    }
    const entry = this.#entry(input.executionId);
    if (isTerminal(entry.record.status))
      throw new ExecutionTerminalError(input.executionId, entry.record.status);
    entry.events.push({
      eventName: input.eventName,
      sequence: this.storage.nextSequence++,
      payload: input.payload,
      ...(key !== undefined ? { idempotencyKey: key } : {}),
      offeredAt: new Date(now),
    });
    const record = entry.record;
    if (
      record.status === "waiting" &&
      record.waitReason === "event" &&
      waitsOnEvent(record.waitEvent, input.eventName)
    ) {
      record.status = "pending";
      record.runAt = new Date(now);
      delete record.waitReason;
      delete record.waitEvent;
    }
    return "delivered";
  }

  async cancelExecution(executionId: string, now: Date): Promise<boolean> {
    const entry = this.#entry(executionId);
    if (isTerminal(entry.record.status)) return false;
    finish(entry, "cancelled", now);
    cancelChildren(this.#entries(), executionId, now);
    wakeParent(this.#entries(), entry, now);
    return true;
  }

  async restartExecution(executionId: string, now: Date): Promise<ExecutionRecord> {
    const entry = this.#entry(executionId);
    const record = entry.record;
    if (!RETRYABLE_STATUSES.includes(record.status)) {
      throw new ExecutionNotRetryableError(executionId, record.status);
    }
    for (const [position, step] of entry.steps) if (step.status !== "completed") entry.steps.delete(position);
    entry.children.clear();
    record.status = "pending";
    record.attempt = 0;
    record.runAt = new Date(now);
    for (const key of ["error", "completedAt", "timeoutAt", "waitReason", "waitEvent"] as const) {
      delete record[key];
    }
    clearLease(entry);
    return structuredClone(record);
  }

  async getExecution(executionId: string): Promise<ExecutionDetails | undefined> {
    const entry = this.#entries().get(executionId);
    return entry && details(entry);
  }

  async listExecutions(filter: ListFilter): Promise<ExecutionDetails[]> {
    const matching = [...this.#entries().values()].filter(
      ({ record }) =>
        (filter.status === undefined || record.status === filter.status) &&
        (filter.taskName === undefined || record.taskName === filter.taskName) &&
        (filter.parentId === undefined || record.parentId === filter.parentId),
    );
    matching.sort(
      (a, b) =>
        b.record.createdAt.getTime() - a.record.createdAt.getTime() ||
        a.record.executionId.localeCompare(b.record.executionId),
    );
    return matching.slice(filter.offset, filter.offset + filter.limit).map(details);
  }

  async purge(filter: PurgeFilter): Promise<number> {
    let purged = 0;
    for (const [id, { record }] of this.#entries()) {
      const old = record.completedAt !== undefined && record.completedAt < filter.olderThan;
      if (isTerminal(record.status) && old && (filter.statuses ?? [record.status]).includes(record.status)) {
        this.#entries().delete(id);
        purged++;
      }
    }
    return purged;
  }

  // ── worker verbs ──

  async claim(request: ClaimRequest): Promise<ClaimedWork[]> {
    const now = request.now.getTime();
    const due: DueUnit[] = [];
    for (const entry of this.#entries().values()) {
      const { record } = entry;
      if (!request.taskNames.includes(record.taskName) || isTerminal(record.status)) continue;
      const at = record.status === "running" ? record.leaseExpiresAt?.getTime() : record.runAt?.getTime();
      if (at !== undefined && at <= now) due.push({ entry, at });
      for (const step of entry.steps.values()) {
        if (step.kind !== "parallel") continue;
        const expires = entry.children.get(step.position)?.expiresAt.getTime();
        const wakeAt = step.wakeAt?.getTime() ?? now;
        if (step.status === "pending" && wakeAt <= now) due.push({ entry, child: step, at: wakeAt });
        else if (step.status === "running" && expires !== undefined && expires <= now) {
          due.push({ entry, child: step, at: expires });
        }
      }
    }
    // Higher priority first (children rank as 0), then the oldest due.
    const rank = (unit: { entry: Entry; child?: StepRecord }) =>
      unit.child ? 0 : (unit.entry.record.priority ?? 0);
    due.sort(
      (a, b) =>
        rank(b) - rank(a) ||
        a.at - b.at ||
        a.entry.record.createdAt.getTime() - b.entry.record.createdAt.getTime() ||
        (a.child?.position ?? -1) - (b.child?.position ?? -1),
    );
    const expiresAt = new Date(now + request.leaseMs);
    return withinLimits(this.#entries().values(), due, request).map(({ entry, child }): ClaimedWork => {
      const token = crypto.randomUUID();
      const record = entry.record;
      if (child) {
        entry.children.set(child.position, { token, expiresAt });
        child.status = "running";
        child.startedAt ??= new Date(now);
        delete child.wakeAt;
        return {
          kind: "child",
          lease: childLease(record.executionId, token, child.position),
          execution: structuredClone(record),
          steps: sortedSteps(entry).filter((step) => step.position < child.position),
          child: structuredClone(child),
        };
      }
      entry.token = token;
      record.status = "running";
      record.leaseOwner = request.workerId;
      record.leaseExpiresAt = expiresAt;
      record.startedAt ??= new Date(now);
      delete record.waitReason;
      delete record.waitEvent;
      return {
        kind: "execution",
        lease: executionLease(record.executionId, token),
        execution: structuredClone(record),
        steps: sortedSteps(entry),
      };
    });
  }

  async renewLease(lease: Lease, leaseMs: number, now: Date): Promise<void> {
    const entry = this.#fenced(lease);
    const expiresAt = new Date(now.getTime() + leaseMs);
    if (lease.kind === "child") entry.children.set(lease.childPosition, { token: lease.token, expiresAt });
    else entry.record.leaseExpiresAt = expiresAt;
  }

  async saveStep(lease: Lease, step: StepWrite, patch: ExecutionPatch, _now: Date): Promise<void> {
    const entry = this.#fenced(lease);
    writeStep(entry, step);
    applyPatch(entry.record, patch);
  }

  async suspend(lease: Lease, input: SuspendInput, patch: ExecutionPatch, _now: Date): Promise<void> {
    const entry = this.#fenced(lease);
    if (input.step) writeStep(entry, input.step);
    park(entry, input.reason, input.wakeAt, patch);
  }

  async awaitEvent(
    lease: Lease,
    input: AwaitEventInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<EventWaitOutcome> {
    const { eventName, ...rest } = input;
    const wait = { ...rest, eventNames: [eventName] };
    const outcome = this.#decideWait(lease, wait, patch, now, (event) => event.payload);
    return outcome.outcome === "received" ? { outcome: "received", payload: outcome.payload } : outcome;
  }

  async awaitAnyEvent(
    lease: Lease,
    input: AwaitAnyEventInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<AnyEventWaitOutcome> {
    return this.#decideWait(lease, input, patch, now, (e) => anyEventResult(e.eventName, e.payload));
  }

  /** The oldest unconsumed event among the names (offered by the deadline once it passed), else timeout or park. */
  #decideWait(
    lease: Lease,
    input: AwaitAnyEventInput,
    patch: ExecutionPatch,
    now: Date,
    resultOf: (event: EventRecord) => string,
  ): AnyEventWaitOutcome {
    const entry = this.#fenced(lease);
    const passed = input.deadline !== undefined && input.deadline <= now;
    const event = entry.events.find(
      (candidate) =>
        input.eventNames.includes(candidate.eventName) &&
        candidate.consumedAt === undefined &&
        (!passed || (input.deadline !== undefined && candidate.offeredAt <= input.deadline)),
    );
    const step = { position: input.position, name: input.stepName, kind: "event", attempts: 1 } as const;
    applyPatch(entry.record, patch);
    if (event) {
      event.consumedAt = new Date(now);
      writeStep(entry, { ...step, status: "completed", result: resultOf(event), completedAt: now });
      return { outcome: "received", eventName: event.eventName, payload: event.payload };
    }
    if (passed) {
      writeStep(entry, { ...step, status: "failed", error: input.timeoutError, completedAt: now });
      return { outcome: "timeout" };
    }
    writeStep(entry, { ...step, status: "waiting", wakeAt: input.deadline });
    park(entry, "event", input.wakeAt, {});
    entry.record.waitEvent = joinWaitEvents(input.eventNames);
    return { outcome: "suspended" };
  }

  async dispatchChildren(
    lease: Lease,
    input: DispatchChildrenInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<DispatchOutcome> {
    const entry = this.#fenced(lease);
    applyPatch(entry.record, patch);
    for (const { position, name } of input.children) {
      if (!entry.steps.has(position)) {
        entry.steps.set(position, {
          position,
          name,
          kind: "parallel",
          status: "pending",
          attempts: 0,
          wakeAt: now,
        });
      }
    }
    const parallel = sortedSteps(entry).filter((step) => step.kind === "parallel");
    if (parallel.some((step) => !isTerminal(step.status))) {
      park(entry, "children", input.wakeAt, {});
      return { suspended: true };
    }
    const positions = new Set(input.children.map((child) => child.position));
    return { suspended: false, children: parallel.filter((step) => positions.has(step.position)) };
  }

  async settleChild(lease: ChildLease, outcome: ChildOutcome, now: Date): Promise<void> {
    const entry = this.#fenced(lease);
    entry.children.delete(lease.childPosition);
    writeStep(entry, {
      ...(entry.steps.get(lease.childPosition) as StepRecord),
      ...outcome,
      error: outcome.error,
      completedAt: now,
    });
    const record = entry.record;
    const unsettled = [...entry.steps.values()].some((s) => s.kind === "parallel" && !isTerminal(s.status));
    if (!unsettled && record.status === "waiting" && record.waitReason === "children") {
      record.status = "pending";
      record.runAt = new Date(now);
      delete record.waitReason;
    }
  }

  async retryChild(lease: ChildLease, input: RetryChildInput, _now: Date): Promise<void> {
    const entry = this.#fenced(lease);
    entry.children.delete(lease.childPosition);
    const { error, attempts, wakeAt } = input;
    const step = entry.steps.get(lease.childPosition) as StepRecord;
    writeStep(entry, { ...step, status: "pending", error, attempts, wakeAt });
  }

  async startChildExecution(lease: Lease, input: StartChildInput, patch: ExecutionPatch, now: Date) {
    const parent = this.#fenced(lease);
    const step = startChild(this.#entries(), parent, input, now);
    applyPatch(parent.record, patch);
    return step;
  }

  async awaitChildExecutions(
    lease: Lease,
    input: AwaitChildrenInput,
    patch: ExecutionPatch,
    now: Date,
  ): Promise<ChildWaitOutcome> {
    const parent = this.#fenced(lease);
    const outcome = awaitChildren(this.#entries(), parent, input, now);
    applyPatch(parent.record, patch);
    return outcome;
  }

  async retryExecution(lease: Lease, input: RetryExecutionInput, patch: ExecutionPatch, _now: Date) {
    const entry = this.#fenced(lease);
    const record = entry.record;
    applyPatch(record, patch);
    for (const [position, step] of entry.steps) if (step.status !== "completed") entry.steps.delete(position);
    record.attempt++;
    record.status = "pending";
    record.runAt = new Date(input.runAt);
    record.error = input.error;
    record.waitReason = "retry";
    clearLease(entry);
  }

  async completeExecution(lease: Lease, input: CompleteExecutionInput, patch: ExecutionPatch, now: Date) {
    const entry = this.#fenced(lease);
    applyPatch(entry.record, patch);
    delete entry.record.error;
    if (input.result !== undefined) entry.record.result = input.result;
    finish(entry, "completed", now);
    wakeParent(this.#entries(), entry, now);
  }

  async failExecution(lease: Lease, input: FailExecutionInput, patch: ExecutionPatch, now: Date) {
    const entry = this.#fenced(lease);
    applyPatch(entry.record, patch);
    entry.record.error = input.error;
    finish(entry, "failed", now);
    wakeParent(this.#entries(), entry, now);
  }

  async releaseLease(lease: Lease, now: Date): Promise<void> {
    const entry = this.#fenced(lease);
    if (lease.kind === "child") {
      entry.children.delete(lease.childPosition);
      (entry.steps.get(lease.childPosition) as StepRecord).status = "pending";
      return;
    }
    entry.record.status = "pending";
    entry.record.runAt = new Date(now);
    clearLease(entry);
  }

  /** No push: workers poll. */
  subscribe(_listener: (wake: WakeUp) => void): Unsubscribe {
    this.#entries();
    return () => {};
  }

  /** The data; every verb starts here, so a closed scheduler refuses them all. */
  #entries(): Map<string, Entry> {
    if (this.#closed) throw new StoreUnavailableError("The scheduler is closed.");
    return this.storage.entries;
  }

  #entry(executionId: string): Entry {
    const entry = this.#entries().get(executionId);
    if (!entry) throw new ExecutionNotFoundError(executionId);
    return entry;
  }

  /** The fencing check every worker write starts with: the lease's token is still the stored one. */
  #fenced(lease: Lease): Entry {
    const entry = this.#entries().get(lease.executionId);
    const valid =
      entry !== undefined &&
      (lease.kind === "child"
        ? !isTerminal(entry.record.status) && entry.children.get(lease.childPosition)?.token === lease.token
        : entry.record.status === "running" && entry.token === lease.token);
    if (!valid) throw leaseLost(lease);
    return entry as Entry;
  }
}
