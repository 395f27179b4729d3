/**
 * When a worker's lease on one unit has certainly expired, by the worker's own measure: a claim or
 * renewal sent at `t` (and acknowledged) holds the lease until `t + leaseMs` at the earliest, so once
 * `leaseMs` has passed since the last acknowledged one was *sent*, another worker may have taken the
 * unit over. Measured on the monotonic clock (`performance.now()`), so neither a wall-clock jump nor
 * a `ManualClock` moves it. This is what lets a worker cut off from its store (a network partition:
 * its calls hang or fail) abort its units instead of running them beside their new owner.
 */
export class LeaseDeadline {
  readonly #leaseMs: number;
  #heldSince: number;
  #renewing = false;

  /** `sentAt`: when the claim that granted the lease was sent (`performance.now()`). */
  constructor(leaseMs: number, sentAt: number) {
    this.#leaseMs = leaseMs;
    this.#heldSince = sentAt;
  }

  /** True once `leaseMs` has passed since the last acknowledged claim or renewal was sent. */
  get expired(): boolean {
    return performance.now() - this.#heldSince >= this.#leaseMs;
  }

  /** Milliseconds until `expired` turns true (0 once it has). */
  get remainingMs(): number {
    return Math.max(0, this.#heldSince + this.#leaseMs - performance.now());
  }

  /**
   * Runs `renew` unless a renewal is still in flight (a hung connection must not pile up calls),
   * and moves the deadline when it succeeds. Resolves `renew`'s result, `undefined` when skipped.
   */
  async renew<T>(renew: () => Promise<T>): Promise<T | undefined> {
    if (this.#renewing) return undefined;
    this.#renewing = true;
    const sentAt = performance.now();
    try {
      const result = await renew();
      this.#heldSince = Math.max(this.#heldSince, sentAt);
      return result;
    } finally {
      this.#renewing = false;
    }
  }
}
