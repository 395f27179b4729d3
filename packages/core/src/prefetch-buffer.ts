import type { ClaimedWork } from "./scheduler/scheduler.js";

interface Held {
  work: ClaimedWork;
  heartbeat: NodeJS.Timeout;
}

/**
 * Units a worker claimed ahead of a free slot (`WorkerOptions.prefetch`), oldest first. Their
 * leases are renewed while they wait, so a unit that waits long is not taken over by another
 * worker and then run twice; a unit whose renewal finds the lease lost (cancelled, expired) is
 * dropped.
 */
export class PrefetchBuffer {
  readonly #held: Held[] = [];
  readonly #renew: (work: ClaimedWork) => Promise<boolean>;
  readonly #renewEveryMs: number;

  /** `renew` resolves `false` when the lease is lost. */
  constructor(renew: (work: ClaimedWork) => Promise<boolean>, renewEveryMs: number) {
    this.#renew = renew;
    this.#renewEveryMs = renewEveryMs;
  }

  get size(): number {
    return this.#held.length;
  }

  add(work: ClaimedWork): void {
    const heartbeat = setInterval(() => {
      void this.#renew(work).then((held) => {
        if (!held) this.#remove((h) => h.work === work);
      });
    }, this.#renewEveryMs);
    this.#held.push({ work, heartbeat });
  }

  /** The oldest unit, no longer renewed here (its run renews it from now on). */
  take(): ClaimedWork | undefined {
    const held = this.#held.shift();
    if (held) clearInterval(held.heartbeat);
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
      clearInterval(held.heartbeat);
      this.#held.splice(i, 1);
      removed.unshift(held.work);
    }
    return removed;
  }
}
