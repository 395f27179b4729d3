import type { ExecutionRun } from "./engine/execution-run.js";
import type { Logger } from "./engine/logger.js";
import { ExecutionCancelledError, LeaseLostError } from "./errors.js";
import { LeaseDeadline } from "./lease-deadline.js";
import type { ClaimedWork } from "./scheduler/claims.js";
import { type Lease, leaseLost } from "./scheduler/lease.js";
import type { Scheduler } from "./scheduler/scheduler.js";

/**
 * A worker's hold on the leases of its units: each claimed unit's `LeaseDeadline`, the renewals of
 * running and prefetched units, and the abort of a run whose lease is lost or can no longer be
 * counted on.
 */
export class WorkerLeases {
  readonly #scheduler: Scheduler;
  readonly #logger: Logger;
  readonly #leaseMs: number;
  /** When each claimed unit's lease certainly expires unless renewed (see `LeaseDeadline`). */
  readonly #deadlines = new WeakMap<ClaimedWork, LeaseDeadline>();

  constructor(scheduler: Scheduler, logger: Logger, leaseMs: number) {
    this.#scheduler = scheduler;
    this.#logger = logger;
    this.#leaseMs = leaseMs;
  }

  /** Starts a claimed unit's deadline from `sentAt`, when its claim was sent (`performance.now()`). */
  claimed(work: ClaimedWork, sentAt: number): void {
    this.#deadlines.set(work, new LeaseDeadline(this.#leaseMs, sentAt));
  }

  deadlineOf(work: ClaimedWork): LeaseDeadline {
    let deadline = this.#deadlines.get(work);
    if (!deadline) {
      deadline = new LeaseDeadline(this.#leaseMs, performance.now());
      this.#deadlines.set(work, deadline);
    }
    return deadline;
  }

  /** Renews a prefetched unit's lease; `false` once it is lost or cut off. */
  async renewHeld(work: ClaimedWork): Promise<boolean> {
    const deadline = this.deadlineOf(work);
    if (deadline.expired && deadline.cutOff) return false;
    return (await this.#renewLease(work.lease, deadline)) === undefined;
  }

  /** One heartbeat of a running unit: renews its lease, or abandons the run that lost it. */
  async heartbeat(run: ExecutionRun, deadline: LeaseDeadline): Promise<void> {
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
}
