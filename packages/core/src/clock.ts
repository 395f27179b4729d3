import { type Duration, toMillis } from "./duration.js";

/**
 * The engine's only source of time. Stores never read their database's clock inside a verb: the
 * engine passes `now` from this clock into every time-sensitive call. Under `timeSource:
 * "database"` the store's clock is a `StoreClock` (local time plus the measured offset to the
 * server's clock).
 */
export interface Clock {
  now(): Date;
  /**
   * Resolves once `now()` can be trusted, for a clock that must first measure something (a
   * `StoreClock` reading the store's clock); a worker awaits it before its first claim.
   */
  ready?(): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to: tests skip a 24 h sleep in microseconds. */
export class ManualClock implements Clock {
  #ms: number;

  constructor(start: Date | number = Date.UTC(2030, 0, 1)) {
    this.#ms = typeof start === "number" ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.#ms);
  }

  /** Moves time forward by `duration`. */
  advance(duration: Duration): Date {
    this.#ms += toMillis(duration);
    return this.now();
  }

  /** Jumps to `date` (never backwards). */
  set(date: Date): void {
    this.#ms = Math.max(this.#ms, date.getTime());
  }
}
