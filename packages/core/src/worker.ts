import { randomUUID } from "node:crypto";
import { toMillis } from "./duration.js";
import { ExecutionRun, type RunOutcome } from "./engine/execution-run.js";
import { consoleLogger, type Logger } from "./engine/logger.js";
import { ExecutionCancelledError, ValidationError } from "./errors.js";
import { combineHooks } from "./hooks/combine-hooks.js";
import { loggingHooks } from "./hooks/logging-hooks.js";
import type { WorkerHooks } from "./hooks/worker-hooks.js";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "./json.js";
import { ActivePauseRules } from "./pause-rules/active-pause-rules.js";
import type { ClaimedWork } from "./scheduler/claims.js";
import type { Unsubscribe, WakeUp } from "./scheduler/client-verbs.js";
import type { Scheduler } from "./scheduler/scheduler.js";
import { ScheduleTicker } from "./schedules/schedule-ticker.js";
import type { TaskRegistry } from "./task/task-registry.js";
import { attemptInfo, completed, ENDS_WELL, endOf, type RunEnd } from "./worker-attempts.js";
import { WorkerLeases } from "./worker-leases.js";
import type { WorkerOptions } from "./worker-options.js";
import { WorkerSlots } from "./worker-slots.js";
import { WorkerPresence } from "./workers/worker-presence.js";

/** The share of `pollInterval` by which each wait between polls is shortened, at most (at random). */
const POLL_JITTER = 0.1;

/**
 * What a poll does before its claim: fire due schedules and re-read the pause rules `now` (a timer
 * poll), `when-due` (their interval has passed), or `skip` them (work is due now: see `#poll`).
 */
type Housekeeping = "skip" | "when-due" | "now";
const HOUSEKEEPING_RANK: Record<Housekeeping, number> = { skip: 0, "when-due": 1, now: 2 };

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
  readonly #slots: WorkerSlots;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #logger: Logger;
  readonly #hooks: WorkerHooks;
  /** No user hook listens to steps: only the logging's, which reports failed steps alone. */
  readonly #stepFailuresOnly: boolean;
  /** No user hook listens to attempts: only the logging hook, which acts on bad endings alone. */
  readonly #attemptFailuresOnly: boolean;
  readonly #maxPayloadBytes: number;
  readonly #inFlight = new Map<string, InFlight>();
  readonly #leases: WorkerLeases;
  #started = false;
  #stopping: Promise<void> | undefined;
  #unsubscribe: Unsubscribe | undefined;
  #pollTimer: NodeJS.Timeout | undefined;
  #polling: Promise<number> | undefined;
  #pollAgain = false;
  /** The most housekeeping asked of a poll that has not run yet (see `#poll`). */
  #housekeeping: Housekeeping = "skip";
  readonly #ticker: ScheduleTicker;
  readonly #presence: WorkerPresence;
  readonly #pauseRules: ActivePauseRules;

  constructor(options: WorkerOptions) {
    this.#scheduler = options.scheduler;
    this.#registry = options.registry;
    const concurrency = options.concurrency ?? 10;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new ValidationError(`concurrency must be a positive integer, got ${options.concurrency}.`);
    }
    const prefetch = options.prefetch ?? 2 * concurrency;
    if (!Number.isInteger(prefetch) || prefetch < 0) {
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
    this.#stepFailuresOnly = userHooks.every((hooks) => !hooks.stepStarted && !hooks.stepEnded);
    this.#attemptFailuresOnly = userHooks.every((hooks) => !hooks.attemptStarted && !hooks.attemptEnded);
    this.#ticker = new ScheduleTicker(this.#scheduler, this.#registry, this.#pollMs, this.#logger);
    this.#pauseRules = new ActivePauseRules(this.#scheduler, this.#logger, this.#pollMs);
    this.#leases = new WorkerLeases(this.#scheduler, this.#logger, this.#leaseMs);
    // The registry row is renewed at the lease-renewal cadence: gone after one lease duration.
    this.#presence = new WorkerPresence(
      this.#scheduler,
      this.#logger,
      {
        workerId: this.workerId,
        concurrency,
        leaseMs: this.#leaseMs,
        taskNames: () => this.#registry.names(),
      },
      this.#renewEveryMs,
    );
    this.#slots = new WorkerSlots({
      scheduler: this.#scheduler,
      logger: this.#logger,
      concurrency,
      prefetch,
      // No slot freed for this long: prefetched units are given back (see `prefetch`).
      stallMs: Math.max(1000, this.#pollMs),
      renewEveryMs: this.#renewEveryMs,
      renew: (work) => this.#leases.renewHeld(work),
    });
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
    // A clock that measures the store's (timeSource "database") is measured before the first claim.
    await this.#scheduler.clock.ready?.();
    this.#unsubscribe = this.#scheduler.subscribe((wake) => this.#onWake(wake));
    await this.#presence.start();
    await this.#poll();
    this.#schedulePoll(this.#untilNextPoll());
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
      this.#slots
        .drain()
        .map((work) =>
          this.#scheduler.releaseLease(work.lease, this.#scheduler.clock.now()).catch(() => undefined),
        ),
    );
    const runs = [...this.#inFlight.values()];
    for (const { run } of runs) run.requestStop();
    if (!graceful) await this.#abandonInFlight();
    await Promise.all(runs.map((r) => r.done));
    await this.#presence.stop();
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
      this.#slots.dropExecution(wake.executionId);
      for (const { run } of this.#inFlight.values()) {
        if (run.executionId === wake.executionId)
          void run.abandon(new ExecutionCancelledError(wake.executionId));
      }
      return;
    }
    if (wake.reason === "pause-rules") this.#pauseRules.invalidate();
    if (this.#started) void this.#poll("skip");
  }

  #schedulePoll(ms: number): void {
    if (!this.#started) return;
    clearTimeout(this.#pollTimer);
    this.#pollTimer = setTimeout(() => {
      void this.#poll("now").finally(() => this.#schedulePoll(this.#untilNextPoll()));
    }, ms);
  }

  /**
   * The poll interval less up to a tenth at random, or less when a schedule is due sooner. The
   * jitter keeps workers started together from polling in lock-step, where the first of them
   * would claim every unit that fell due between polls.
   */
  #untilNextPoll(): number {
    const interval = this.#pollMs * (1 - Math.random() * POLL_JITTER);
    const untilDue = this.#ticker.nextDueAt - this.#scheduler.clock.now().getTime();
    return untilDue > 0 ? Math.min(interval, untilDue + 5) : interval;
  }

  /**
   * One claim for the free slots (coalesced: a poll asked during a poll runs once after it).
   * `housekeeping` (see {@link Housekeeping}): a timer poll fires due schedules and re-reads the
   * pause rules; a first or an explicit poll (`runUntilIdle`) when their interval has passed. Polls
   * asked because work is due now (a wake-up, a freed slot, the timer of a known wake time) skip
   * both, unless the rules were invalidated, so their claim waits for no other read.
   */
  #poll(housekeeping: Housekeeping = "when-due"): Promise<number> {
    if (HOUSEKEEPING_RANK[housekeeping] > HOUSEKEEPING_RANK[this.#housekeeping])
      this.#housekeeping = housekeeping;
    if (this.#polling) {
      this.#pollAgain = true;
      return this.#polling;
    }
    this.#polling = this.#claimAndLaunch().finally(() => {
      this.#polling = undefined;
      if (this.#pollAgain && this.#stopping === undefined) {
        this.#pollAgain = false;
        void this.#poll("skip");
      }
    });
    return this.#polling;
  }

  async #claimAndLaunch(): Promise<number> {
    const free = this.#slots.claimable;
    // Read per claim: a task registered after `start` is claimed from the next poll on.
    const taskNames = this.#registry.names();
    if (this.#stopping || taskNames.length === 0) return 0;
    const housekeeping = this.#housekeeping;
    this.#housekeeping = "skip";
    // Due schedules of these tasks start their fires' executions first (see `ScheduleTicker`).
    if (housekeeping !== "skip") await this.#ticker.maybeTick(taskNames, housekeeping === "now");
    if (housekeeping !== "skip" || this.#pauseRules.stale) {
      await this.#pauseRules.refresh(taskNames, housekeeping === "now");
    }
    if (free <= 0) return 0;
    const concurrencyLimits = this.#registry.concurrencyLimits();
    const rateLimits = this.#registry.rateLimits();
    let work: ClaimedWork[];
    const sentAt = performance.now();
    try {
      work = await this.#scheduler.claim({
        workerId: this.workerId,
        // Each registered (task, version) only: executions drain on the code they started with.
        // Less the tasks a pause rule holds: their executions stay pending (see `ActivePauseRules`).
        ...this.#pauseRules.filterClaim(this.#registry.claimFilter()),
        limit: free,
        leaseMs: this.#leaseMs,
        now: this.#scheduler.clock.now(),
        ...(concurrencyLimits ? { concurrencyLimits } : {}),
        ...(rateLimits ? { rateLimits } : {}),
      });
    } catch (error) {
      this.#logger.error({ error: String(error) }, "claiming work failed; retrying at the next poll");
      return 0;
    }
    for (const unit of work) {
      this.#leases.claimed(unit, sentAt);
      if (this.#slots.hasFree) this.#launch(unit);
      else this.#slots.hold(unit);
    }
    if (work.length === free) this.#pollAgain = true;
    return work.length;
  }

  #launch(work: ClaimedWork): void {
    const deadline = this.#leases.deadlineOf(work);
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
      pauseRules: this.#pauseRules,
      stepFailuresOnly: this.#stepFailuresOnly,
    });
    // Built (and reported) only when a hook listens: an attempt that ends well reports nothing to
    // the logging hook, so without user hooks it costs no info object and no clock reads.
    const attempt = this.#attemptFailuresOnly
      ? undefined
      : attemptInfo(work, this.workerId, this.#scheduler.clock);
    const startedAt = performance.now();
    if (attempt) this.#hooks.attemptStarted?.(attempt);
    const position = work.kind === "child" ? work.lease.childPosition : "-";
    const key = `${work.lease.executionId}/${position}/${work.lease.token}`;
    const heartbeat = setInterval(() => void this.#leases.heartbeat(run, deadline), this.#renewEveryMs);
    const releaseSlot = this.#slots.occupy();
    const freeSlot = () => {
      if (!releaseSlot()) return;
      const next = this.#stopping ? undefined : this.#slots.takeHeld();
      if (next) this.#launch(next);
      if (this.#started) void this.#poll("skip");
    };
    void run.doneWithSlot.then(freeSlot);
    const finished = () => {
      clearInterval(heartbeat);
      this.#inFlight.delete(key);
      freeSlot();
    };
    // One `then` with the clean-up in both branches (not `then` + `finally`: a promise fewer).
    const done = run.execute().then(
      (outcome) => {
        try {
          if (attempt || !ENDS_WELL.has(outcome.kind)) {
            this.#hooks.attemptEnded?.(
              completed(
                attempt ?? attemptInfo(work, this.workerId, this.#scheduler.clock),
                endOf(outcome),
                startedAt,
              ),
            );
          }
          this.#afterRun(outcome);
        } finally {
          finished();
        }
      },
      (error: unknown) => {
        try {
          const end: RunEnd = { outcome: "crashed", error };
          this.#hooks.attemptEnded?.(
            completed(attempt ?? attemptInfo(work, this.workerId, this.#scheduler.clock), end, startedAt),
          );
        } finally {
          finished();
        }
      },
    );
    this.#inFlight.set(key, { run, done });
  }

  #afterRun(outcome: RunOutcome): void {
    const { wakeAt } = endOf(outcome);
    if (wakeAt) {
      const ms = wakeAt.getTime() - this.#scheduler.clock.now().getTime();
      // Node timers may fire a millisecond early; a few ms of slack makes the unit surely due.
      if (ms <= this.#pollMs)
        setTimeout(() => this.#started && void this.#poll("skip"), Math.max(0, ms) + 5).unref();
    }
  }
}
