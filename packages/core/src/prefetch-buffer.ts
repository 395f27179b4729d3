import type { ClaimedWork } from "./scheduler/claims.js";

interface Held {
  work: ClaimedWork;
  heartbeat: NodeJS.Timeout;
  expiry: NodeJS.Timeout;
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

  constructor(options: PrefetchBufferOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#held.length;
  }

  add(work: ClaimedWork): void {
    const { renew, renewEveryMs, holdLimitMs, isStalled, onHeldTooLong } = this.#options;
    const heartbeat = setInterval(() => {
      void renew(work).then((held) => {
        if (!held) this.#remove((h) => h.work === work);
      });
    }, renewEveryMs);
    const expiry = setInterval(() => {
      if (isStalled() && this.#remove((h) => h.work === work).length > 0) onHeldTooLong(work);
    }, holdLimitMs);
    this.#held.push({ work, heartbeat, expiry });
  }

  /** The oldest unit, no longer renewed here (its run renews it from now on). */
  take(): ClaimedWork | undefined {
    const held = this.#held.shift();
    if (held) stopTimers(held);
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

  #remove(match: (held: Held) => boolean): ClaimedWork[] {
    const removed: ClaimedWork[] = [];
    for (let i = this.#held.length - 1; i >= 0; i--) {
      const held = this.#held[i]!;
      if (!match(held)) continue;
      stopTimers(held);
      this.#held.splice(i, 1);
      removed.unshift(held.work);
    }
    return removed;
  }
}

function stopTimers(held: Held): void {
  clearInterval(held.heartbeat);
  clearInterval(held.expiry);
}
