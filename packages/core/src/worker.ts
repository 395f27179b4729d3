import { randomUUID } from "node:crypto";
import { type Duration, toMillis } from "./duration.js";
import { ExecutionRun, type RunOutcome } from "./engine/execution-run.js";
import { consoleLogger, type Logger } from "./engine/logger.js";
import { ExecutionCancelledError, LeaseLostError, ValidationError } from "./errors.js";
import { combineHooks } from "./hooks/combine-hooks.js";
import { loggingHooks } from "./hooks/logging-hooks.js";
import type { AttemptInfo, WorkerHooks } from "./hooks/worker-hooks.js";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "./json.js";
import { LeaseDeadline } from "./lease-deadline.js";
import { PrefetchBuffer } from "./prefetch-buffer.js";
import { leaseLost } from "./scheduler/lease.js";
import type { ClaimedWork, Lease, Scheduler, Unsubscribe, WakeUp } from "./scheduler/scheduler.js";
import { ScheduleTicker } from "./schedules/schedule-ticker.js";
import type { TaskRegistry } from "./task/task-registry.js";

export interface WorkerOptions {
  scheduler: Scheduler;
  registry: TaskRegistry;
  /**
   * Units (executions or parallel steps) run at once. Default 10. A unit whose code is over frees
   * its slot while its final write (complete, fail, retry) commits.
   */
  concurrency?: number;
  /**
   * Units claimed ahead of a free slot, to start the moment one frees (their leases are renewed
   * while they wait). Default 2 × `concurrency`: short units run without a claim round trip
   * between them. Fairness is kept by a bound: when no slot has freed for `pollInterval` (at least
   * 1 s; every slot busy with long units), the units waiting here are given back for an idle worker
   * to take, and this worker claims nothing ahead again until one of its slots frees. 0 turns
   * prefetching off.
   */
  prefetch?: number;
  /** Poll for due work this often when no push arrives. Default `"1s"`. */
  pollInterval?: Duration;
  /** Lease length; renewed every third of it while a unit runs. Default `"30s"`. */
  leaseDuration?: Duration;
  /** Identifies this worker in leases (default: a random id). */
  workerId?: string;
  /** Where failures, retries and lease losses are logged (pino's shape; default: console). */
  logger?: Logger;
  /** Callbacks around execution and step attempts (see `WorkerHooks`); called in order. */
  hooks?: WorkerHooks | readonly WorkerHooks[];
  /** Size limit for step results, outputs and `ctx.data` (default 1 MiB). */
  maxPayloadBytes?: number;
}

interface InFlight {
  run: ExecutionRun;
  done: Promise<void>;
}

/**
 * Claims due executions and parallel steps of the tasks in its registry (and only those, so
 * workers with different task sets can share a store) and runs them, up to `concurrency` at once.
 * Woken by store push (when the store has it), by its own timers for wake times it learned,
 * and by polling every `pollInterval`.
 */
export class Worker {
  readonly workerId: string;
  readonly #scheduler: Scheduler;
  readonly #registry: TaskRegistry;
  readonly #concurrency: number;
  readonly #prefetch: number;
  readonly #buffer: PrefetchBuffer;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #logger: Logger;
  readonly #hooks: WorkerHooks;
  readonly #maxPayloadBytes: number;
  readonly #inFlight = new Map<string, InFlight>();
  /** When each claimed unit's lease certainly expires unless renewed (see `LeaseDeadline`). */
  readonly #deadlines = new WeakMap<ClaimedWork, LeaseDeadline>();
  /** Units of `#inFlight` still holding a slot (see `RunState.doneWithSlot`). */
  #busy = 0;
  #started = false;
  #stopping: Promise<void> | undefined;
  #unsubscribe: Unsubscribe | undefined;
  #pollTimer: NodeJS.Timeout | undefined;
  #polling: Promise<number> | undefined;
  #pollAgain = false;
  readonly #ticker: ScheduleTicker;
  /** Set when a prefetched unit had to be given back: claim only for free slots until one frees. */
  #prefetchPaused = false;
  /** When a slot last freed (`performance.now()`): prefetched units are given back if it was long ago. */
  #slotFreedAt = performance.now();

  constructor(options: WorkerOptions) {
    this.#scheduler = options.scheduler;
    this.#registry = options.registry;
    this.#concurrency = options.concurrency ?? 10;
    if (!Number.isInteger(this.#concurrency) || this.#concurrency < 1) {
      throw new ValidationError(`concurrency must be a positive integer, got ${options.concurrency}.`);
    }
    this.#prefetch = options.prefetch ?? 2 * this.#concurrency;
    if (!Number.isInteger(this.#prefetch) || this.#prefetch < 0) {
      throw new ValidationError(`prefetch must be a non-negative integer, got ${options.prefetch}.`);
    }
    this.#pollMs = toMillis(options.pollInterval ?? "1s", "pollInterval");
    this.#leaseMs = toMillis(options.leaseDuration ?? "30s", "leaseDuration");
    if (this.#leaseMs < 100) throw new ValidationError("leaseDuration must be at least 100 ms.");
    this.workerId = options.workerId ?? `worker-${randomUUID()}`;
    this.#logger = options.logger ?? consoleLogger;
    this.#maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    const userHooks = options.hooks === undefined ? [] : [options.hooks].flat();
    this.#hooks = combineHooks([loggingHooks(this.#logger), ...userHooks], this.#logger);
    this.#ticker = new ScheduleTicker(this.#scheduler, this.#registry, this.#pollMs, this.#logger);
    this.#buffer = new PrefetchBuffer({
      renew: async (work) => {
        const deadline = this.#deadlineOf(work);
        if (deadline.expired && deadline.cutOff) return false;
        return (await this.#renewLease(work.lease, deadline)) === undefined;
      },
      renewEveryMs: this.#renewEveryMs,
      holdLimitMs: this.#stallMs,
      isStalled: () => performance.now() - this.#slotFreedAt >= this.#stallMs,
      onHeldTooLong: (work) => this.#giveBack(work),
    });
  }

  /** No slot freed for this long: prefetched units are given back (see `prefetch`). */
  get #stallMs(): number {
    return Math.max(1000, this.#pollMs);
  }

  get #renewEveryMs(): number {
    return Math.max(50, Math.floor(this.#leaseMs / 3));
  }

  /** Units in flight right now (running, or making their final write). */
  get activeCount(): number {
    return this.#inFlight.size;
  }

  /** Starts polling and listening for wake-ups; resolves once the first poll has been made. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#stopping = undefined;
    this.#unsubscribe = this.#scheduler.subscribe((wake) => this.#onWake(wake));
    await this.#poll();
    this.#schedulePoll(this.#pollMs);
  }

  /**
   * Stops claiming. Graceful (default): in-flight runs continue to their next checkpoint, give
   * their lease back there and the call resolves when all have. Not graceful: leases are given back
   * at once and `ctx.signal` is aborted. Calling it again is harmless; calling it with
   * `graceful: false` while a graceful stop waits turns that stop into an immediate one.
   */
  stop(options: { graceful?: boolean } = {}): Promise<void> {
    const graceful = options.graceful ?? true;
    if (!this.#stopping) this.#stopping = this.#stop(graceful);
    else if (!graceful) void this.#abandonInFlight();
    return this.#stopping;
  }

  async #stop(graceful: boolean): Promise<void> {
    this.#started = false;
    clearTimeout(this.#pollTimer);
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#polling;
    await Promise.all(
      this.#buffer
        .drain()
        .map((work) =>
          this.#scheduler.releaseLease(work.lease, this.#scheduler.clock.now()).catch(() => undefined),
        ),
    );
    const runs = [...this.#inFlight.values()];
    for (const { run } of runs) run.requestStop();
    if (!graceful) await this.#abandonInFlight();
    await Promise.all(runs.map((r) => r.done));
  }

  /** Aborts every in-flight run's `ctx.signal` and gives its lease back at once. */
  async #abandonInFlight(): Promise<void> {
    for (const { run } of [...this.#inFlight.values()]) {
      run.requestStop();
      await run.abandon(new Error("The worker stopped."), { release: true });
    }
  }

  /**
   * Claims and runs due work until none is due and nothing is in flight. For tests and scripts
   * (with a `ManualClock`: advance the clock, then `runUntilIdle()`).
   */
  async runUntilIdle(): Promise<void> {
    for (;;) {
      const claimed = await this.#poll();
      if (claimed > 0) continue;
      if (this.#inFlight.size === 0) {
        if ((await this.#poll()) === 0 && this.#inFlight.size === 0) return;
        continue;
      }
      await Promise.race([...this.#inFlight.values()].map((r) => r.done));
    }
  }

  #onWake(wake: WakeUp): void {
    if (wake.reason === "cancelled") {
      // Every unit of the execution stops: the parent and each of its parallel children.
      this.#buffer.dropExecution(wake.executionId);
      for (const { run } of this.#inFlight.values()) {
        if (run.executionId === wake.executionId)
          void run.abandon(new ExecutionCancelledError(wake.executionId));
      }
      return;
    }
    if (this.#started) void this.#poll();
  }

  #schedulePoll(ms: number): void {
    if (!this.#started) return;
    clearTimeout(this.#pollTimer);
    this.#pollTimer = setTimeout(() => {
      void this.#poll().finally(() => this.#schedulePoll(this.#untilNextPoll()));
    }, ms);
  }

  /** The poll interval, or less when a schedule is due sooner. */
  #untilNextPoll(): number {
    const untilDue = this.#ticker.nextDueAt - this.#scheduler.clock.now().getTime();
    return untilDue > 0 ? Math.min(this.#pollMs, untilDue + 5) : this.#pollMs;
  }

  /** One claim for the free slots (coalesced: a poll asked during a poll runs once after it). */
  #poll(): Promise<number> {
    if (this.#polling) {
      this.#pollAgain = true;
      return this.#polling;
    }
    this.#polling = this.#claimAndLaunch().finally(() => {
      this.#polling = undefined;
      if (this.#pollAgain && this.#stopping === undefined) {
        this.#pollAgain = false;
        void this.#poll();
      }
    });
    return this.#polling;
  }

  async #claimAndLaunch(): Promise<number> {
    const ahead = this.#prefetchPaused ? 0 : this.#prefetch;
    const free = this.#concurrency + ahead - this.#busy - this.#buffer.size;
    // Read per claim: a task registered after `start` is claimed from the next poll on.
    const taskNames = this.#registry.names();
    if (this.#stopping || taskNames.length === 0) return 0;
    // Due schedules of these tasks start their fires' executions first (see `ScheduleTicker`).
    await this.#ticker.maybeTick(taskNames);
    if (free <= 0) return 0;
    const concurrencyLimits = this.#registry.concurrencyLimits();
    let work: ClaimedWork[];
    const sentAt = performance.now();
    try {
      work = await this.#scheduler.claim({
        workerId: this.workerId,
        // Each registered (task, version) only: executions drain on the code they started with.
        ...this.#registry.claimFilter(),
        limit: free,
        leaseMs: this.#leaseMs,
        now: this.#scheduler.clock.now(),
        ...(concurrencyLimits ? { concurrencyLimits } : {}),
      });
    } catch (error) {
      this.#logger.error({ error: String(error) }, "claiming work failed; retrying at the next poll");
      return 0;
    }
    for (const unit of work) {
      this.#deadlines.set(unit, new LeaseDeadline(this.#leaseMs, sentAt));
      if (this.#busy < this.#concurrency) this.#launch(unit);
      else this.#buffer.add(unit);
    }
    if (work.length === free) this.#pollAgain = true;
    return work.length;
  }

  #launch(work: ClaimedWork): void {
    const deadline = this.#deadlineOf(work);
    // A claim answered late (a slow or partitioned network) may hand out leases already expired:
    // the unit is given back (fenced: a no-op if another worker has it by now), not run.
    if (deadline.expired) {
      this.#logger.warn(
        { executionId: work.lease.executionId },
        "lease expired before the unit could start; giving it back",
      );
      void this.#scheduler.releaseLease(work.lease, this.#scheduler.clock.now()).catch(() => undefined);
      return;
    }
    const run = new ExecutionRun({
      work,
      scheduler: this.#scheduler,
      registry: this.#registry,
      maxPayloadBytes: this.#maxPayloadBytes,
      workerId: this.workerId,
      hooks: this.#hooks,
    });
    const attempt = this.#attemptInfo(work);
    const startedAt = performance.now();
    this.#hooks.attemptStarted?.(attempt);
    const position = work.kind === "child" ? work.lease.childPosition : "-";
    const key = `${work.lease.executionId}/${position}/${work.lease.token}`;
    const heartbeat = setInterval(() => void this.#renew(run, deadline), this.#renewEveryMs);
    this.#busy++;
    let holdsSlot = true;
    const freeSlot = () => {
      if (!holdsSlot) return;
      holdsSlot = false;
      this.#busy--;
      this.#prefetchPaused = false;
      this.#slotFreedAt = performance.now();
      const next = this.#stopping ? undefined : this.#buffer.take();
      if (next) this.#launch(next);
      if (this.#started) void this.#poll();
    };
    void run.doneWithSlot.then(freeSlot);
    const done = run
      .execute()
      .then(
        (outcome) => {
          this.#hooks.attemptEnded?.({
            ...attempt,
            ...endOf(outcome),
            durationMs: performance.now() - startedAt,
          });
          this.#afterRun(outcome);
        },
        (error: unknown) =>
          this.#hooks.attemptEnded?.({
            ...attempt,
            outcome: "crashed",
            error,
            durationMs: performance.now() - startedAt,
          }),
      )
      .finally(() => {
        clearInterval(heartbeat);
        this.#inFlight.delete(key);
        freeSlot();
      });
    this.#inFlight.set(key, { run, done });
  }

  async #renew(run: ExecutionRun, deadline: LeaseDeadline): Promise<void> {
    if (run.isParked || this.#abandonIfExpired(run, deadline)) return;
    // A renewal that hangs (a partition) must not delay the abort past the deadline.
    setTimeout(() => this.#abandonIfExpired(run, deadline), deadline.remainingMs + 1).unref();
    const lost = await this.#renewLease(run.lease, deadline);
    if (!lost) return;
    // A cancel not pushed to this process (e.g. a SQLite file shared by processes) shows up here.
    if (await this.#isCancelled(run.executionId)) {
      void run.abandon(new ExecutionCancelledError(run.executionId));
      return;
    }
    void run.abandon(lost);
  }

  /**
   * Aborts `run` once its lease went unrenewed for 90% of its duration because the store does not
   * answer (see `LeaseDeadline`): before another worker can take the unit over. A late write is
   * fenced off.
   */
  #abandonIfExpired(run: ExecutionRun, deadline: LeaseDeadline): boolean {
    if (run.isParked || !deadline.expired || !deadline.cutOff) return run.isParked;
    this.#logger.warn(
      { executionId: run.executionId, leaseMs: this.#leaseMs },
      "lease not renewed for 90% of its duration (store unreachable); abandoning the unit",
    );
    void run.abandon(leaseLost(run.lease));
    return true;
  }

  #deadlineOf(work: ClaimedWork): LeaseDeadline {
    let deadline = this.#deadlines.get(work);
    if (!deadline) {
      deadline = new LeaseDeadline(this.#leaseMs, performance.now());
      this.#deadlines.set(work, deadline);
    }
    return deadline;
  }

  /** A prefetched unit waited too long: give it back to the store and stop claiming ahead. */
  #giveBack(work: ClaimedWork): void {
    this.#prefetchPaused = true;
    this.#scheduler.releaseLease(work.lease, this.#scheduler.clock.now()).catch((error: unknown) => {
      // Its lease then expires on its own and the unit is claimed again.
      this.#logger.warn(
        { executionId: work.lease.executionId, error: String(error) },
        "giving back a prefetched unit failed",
      );
    });
  }

  async #isCancelled(executionId: string): Promise<boolean> {
    const details = await this.#scheduler.getExecution(executionId).catch(() => undefined);
    return details?.execution.status === "cancelled";
  }

  /** Renews `lease`; returns the error when it is lost (any other failure is logged, retried next beat). */
  async #renewLease(lease: Lease, deadline: LeaseDeadline): Promise<LeaseLostError | undefined> {
    try {
      await deadline.renew(() =>
        this.#scheduler.renewLease(lease, this.#leaseMs, this.#scheduler.clock.now()),
      );
    } catch (error) {
      if (error instanceof LeaseLostError) return error;
      this.#logger.warn(
        {
          executionId: lease.executionId,
          error: String(error),
        },
        "lease renewal failed; will retry",
      );
    }
    return undefined;
  }

  #attemptInfo(work: ClaimedWork): AttemptInfo {
    const { execution } = work;
    return {
      executionId: execution.executionId,
      taskName: execution.taskName,
      attempt: execution.attempt,
      workerId: this.workerId,
      unit: work.kind,
      replay: work.steps.length > 0,
      ...(work.kind === "child" ? { step: work.child.name } : {}),
      ...(execution.runAt ? { dueAt: execution.runAt } : {}),
      claimedAt: this.#scheduler.clock.now(),
    };
  }

  #afterRun(outcome: RunOutcome): void {
    const { wakeAt } = endOf(outcome);
    if (wakeAt) {
      const ms = wakeAt.getTime() - this.#scheduler.clock.now().getTime();
      // Node timers may fire a millisecond early; a few ms of slack makes the unit surely due.
      if (ms <= this.#pollMs)
        setTimeout(() => this.#started && void this.#poll(), Math.max(0, ms) + 5).unref();
    }
  }
}

/** The outcome, error and wake time of a run, as the hooks report them. */
function endOf(outcome: RunOutcome): { outcome: RunOutcome["kind"]; error?: unknown; wakeAt?: Date } {
  switch (outcome.kind) {
    case "failed":
    case "lost":
      return { outcome: outcome.kind, error: outcome.error };
    case "suspended":
      return { outcome: outcome.kind, ...(outcome.wakeAt ? { wakeAt: outcome.wakeAt } : {}) };
    case "retry":
      return { outcome: outcome.kind, error: outcome.error, wakeAt: outcome.runAt };
    default:
      return { outcome: outcome.kind };
  }
}
