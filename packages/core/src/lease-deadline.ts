/**
 * When a worker can no longer count on its lease on one unit, by its own measure: a claim or renewal
 * sent at `t` (and acknowledged) holds the lease until `t + leaseMs` at the earliest, and another
 * worker may take the unit over from then on. The lease counts as expired a tenth of the lease
 * before that (the margin absorbs timer lag), so a worker cut off from its store (a network
 * partition: its calls hang or fail) has aborted its units before their lease has certainly
 * expired, never running them beside a new owner. Measured on the monotonic clock
 * (`performance.now()`), so neither a wall-clock jump nor a `ManualClock` moves it.
 */
export class LeaseDeadline {
  /** `leaseMs` less the margin. */
  readonly #holdMs: number;
  #heldSince: number;
  #renewing = false;
  #failed = false;

  /** `sentAt`: when the claim that granted the lease was sent (`performance.now()`). */
  constructor(leaseMs: number, sentAt: number) {
    this.#holdMs = leaseMs - leaseMs / 10;
    this.#heldSince = sentAt;
  }

  /** True once 90% of the lease has passed since the last acknowledged claim or renewal was sent. */
  get expired(): boolean {
    return performance.now() - this.#heldSince >= this.#holdMs;
  }

  /**
   * True while the store does not answer this lease's renewals: one is still in flight (a hung
   * connection) or the last one failed. A lease that merely lapsed while its worker was starved of
   * CPU is not cut off: the next renewal tells whether it is still held (fencing).
   */
  get cutOff(): boolean {
    return this.#renewing || this.#failed;
  }

  /** Milliseconds until `expired` turns true (0 once it has). */
  get remainingMs(): number {
    return Math.max(0, this.#heldSince + this.#holdMs - performance.now());
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
      this.#failed = false;
      return result;
    } catch (error) {
      this.#failed = true;
      throw error;
    } finally {
      this.#renewing = false;
    }
  }
}
