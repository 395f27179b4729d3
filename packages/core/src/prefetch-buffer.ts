import type { ClaimedWork } from "./scheduler/claims.js";

interface Held {
  work: ClaimedWork;
  /** When its lease was last renewed here, or it was added (`performance.now()`). */
  renewedAt: number;
  /** When it last asked `isStalled()`, or it was added. */
  checkedAt: number;
}

export interface PrefetchBufferOptions {
  /** Renews a held unit's lease; resolves `false` when the lease is lost. */
  renew: (work: ClaimedWork) => Promise<boolean>;
  renewEveryMs: number;
  /**
   * Every `holdLimitMs` a held unit asks `isStalled()` (no slot of the worker freed meanwhile);
   * if so it is handed to `onHeldTooLong` and no longer held.
   */
  holdLimitMs: number;
  isStalled: () => boolean;
  onHeldTooLong: (work: ClaimedWork) => void;
}

/**
 * Units a worker claimed ahead of a free slot (`WorkerOptions.prefetch`), oldest first. Their
 * leases are renewed while they wait, so a unit that waits long is not taken over by another
 * worker and then run twice; a unit whose renewal finds the lease lost (cancelled, expired) is
 * dropped. A unit held while the worker's slots stay busy (long units) is handed back to the
 * worker to give away, so an idle worker can take it; while slots keep freeing, units stay.
 */
export class PrefetchBuffer {
  readonly #held: Held[] = [];
  readonly #options: PrefetchBufferOptions;
  /**
   * One timer for all held units while there are any (not two per unit: a timer is a few
   * microseconds with the async hooks of `AsyncLocalStorage` on, and most units wait only
   * milliseconds). It ticks at a quarter of the shorter period, so a renewal or a stall check comes
   * at most that late.
   */
  #sweeper: NodeJS.Timeout | undefined;

  constructor(options: PrefetchBufferOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#held.length;
  }

  add(work: ClaimedWork): void {
    const now = performance.now();
    this.#held.push({ work, renewedAt: now, checkedAt: now });
    if (this.#sweeper === undefined) {
      const { renewEveryMs, holdLimitMs } = this.#options;
      this.#sweeper = setInterval(() => this.#sweep(), Math.max(1, Math.min(renewEveryMs, holdLimitMs) / 4));
    }
  }

  /** The oldest unit, no longer renewed here (its run renews it from now on). */
  take(): ClaimedWork | undefined {
    const held = this.#held.shift();
    this.#stopWhenEmpty();
    return held?.work;
  }

  /** Drops the units of an execution (cancelled); returns them. */
  dropExecution(executionId: string): ClaimedWork[] {
    return this.#remove((h) => h.work.lease.executionId === executionId);
  }

  /** Drops every unit (the worker stops); returns them so their leases can be given back. */
  drain(): ClaimedWork[] {
    return this.#remove(() => true);
  }

  /** Renews the leases due for it; hands units held past the hold limit back while stalled. */
  #sweep(): void {
    const { renew, renewEveryMs, holdLimitMs, isStalled, onHeldTooLong } = this.#options;
    const now = performance.now();
    for (const held of [...this.#held]) {
      const { work } = held;
      if (now - held.renewedAt >= renewEveryMs) {
        held.renewedAt = now;
        void renew(work).then((kept) => {
          if (!kept) this.#remove((h) => h.work === work);
        });
      }
      if (now - held.checkedAt >= holdLimitMs) {
        held.checkedAt = now;
        if (isStalled() && this.#remove((h) => h === held).length > 0) onHeldTooLong(work);
      }
    }
  }

  #remove(match: (held: Held) => boolean): ClaimedWork[] {
    const removed: ClaimedWork[] = [];
    for (let i = this.#held.length - 1; i >= 0; i--) {
      const held = this.#held[i]!;
      if (!match(held)) continue;
      this.#held.splice(i, 1);
      removed.unshift(held.work);
    }
    this.#stopWhenEmpty();
    return removed;
  }

  #stopWhenEmpty(): void {
    if (this.#held.length > 0 || this.#sweeper === undefined) return;
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }
}
