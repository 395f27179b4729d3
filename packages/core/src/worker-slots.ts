import type { Logger } from "./engine/logger.js";
import { PrefetchBuffer } from "./prefetch-buffer.js";
import type { ClaimedWork } from "./scheduler/claims.js";
import type { Scheduler } from "./scheduler/scheduler.js";

export interface WorkerSlotsOptions {
  scheduler: Scheduler;
  logger: Logger;
  /** Units run at once (validated by the worker). */
  concurrency: number;
  /** Units claimed ahead of a free slot (validated by the worker). */
  prefetch: number;
  /** No slot freed for this long: the prefetched units are given back. */
  stallMs: number;
  renewEveryMs: number;
  /** Renews a prefetched unit's lease; resolves `false` when the lease is lost. */
  renew: (work: ClaimedWork) => Promise<boolean>;
}

/**
 * A worker's slots (`concurrency` units run at once) and the units it claimed ahead of a free slot
 * (`prefetch`). Fairness bound: when no slot has freed for `stallMs`, the prefetched units are given
 * back to the store for an idle worker, and nothing is claimed ahead again until a slot frees.
 */
export class WorkerSlots {
  readonly #scheduler: Scheduler;
  readonly #logger: Logger;
  readonly #concurrency: number;
  readonly #prefetch: number;
  readonly #buffer: PrefetchBuffer;
  /** Units holding a slot (see `RunState.doneWithSlot`). */
  #busy = 0;
  /** Set when a prefetched unit had to be given back: claim only for free slots until one frees. */
  #prefetchPaused = false;
  /** When a slot last freed (`performance.now()`). */
  #slotFreedAt = performance.now();

  constructor(options: WorkerSlotsOptions) {
    this.#scheduler = options.scheduler;
    this.#logger = options.logger;
    this.#concurrency = options.concurrency;
    this.#prefetch = options.prefetch;
    const { stallMs } = options;
    this.#buffer = new PrefetchBuffer({
      renew: options.renew,
      renewEveryMs: options.renewEveryMs,
      holdLimitMs: stallMs,
      isStalled: () => performance.now() - this.#slotFreedAt >= stallMs,
      onHeldTooLong: (work) => this.#giveBack(work),
    });
  }

  /** How many units a claim may ask for now: free slots plus room ahead, less the units held. */
  get claimable(): number {
    const ahead = this.#prefetchPaused ? 0 : this.#prefetch;
    return this.#concurrency + ahead - this.#busy - this.#buffer.size;
  }

  get hasFree(): boolean {
    return this.#busy < this.#concurrency;
  }

  /** Takes a slot; the returned function frees it, and returns true only the first time. */
  occupy(): () => boolean {
    this.#busy++;
    let holdsSlot = true;
    return () => {
      if (!holdsSlot) return false;
      holdsSlot = false;
      this.#busy--;
      this.#prefetchPaused = false;
      this.#slotFreedAt = performance.now();
      return true;
    };
  }

  /** Holds a claimed unit until a slot frees (its lease renewed meanwhile). */
  hold(work: ClaimedWork): void {
    this.#buffer.add(work);
  }

  /** The oldest held unit, to run in a freed slot. */
  takeHeld(): ClaimedWork | undefined {
    return this.#buffer.take();
  }

  /** Drops the held units of a cancelled execution. */
  dropExecution(executionId: string): void {
    this.#buffer.dropExecution(executionId);
  }

  /** Every held unit, no longer held (the worker stops and gives them back). */
  drain(): ClaimedWork[] {
    return this.#buffer.drain();
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
}
