import { type Duration, toMillis } from "./duration.js";
import { ValidationError } from "./errors.js";

/**
 * A retry policy. `retries` counts the retries after the first attempt:
 * `fixed(3, "5s")` allows up to 4 attempts 5 s apart; `exponential(5, "1s")` waits 1, 2, 4, 8, 16 s.
 */
export class RetryConfig {
  private constructor(
    /** Retries after the first attempt. */
    readonly retries: number,
    /** Delay before the first retry, in ms. */
    readonly initialDelayMs: number,
    /** Each later delay is the previous one times this factor. */
    readonly multiplier: number,
    /** Upper bound for any delay, in ms. */
    readonly maxDelayMs: number,
  ) {}

  /** No retries: the first failure is final. */
  static none(): RetryConfig {
    return new RetryConfig(0, 0, 1, 0);
  }

  /** Up to `retries` retries, `delay` apart. */
  static fixed(retries: number, delay: Duration): RetryConfig {
    const ms = toMillis(delay, "retry delay");
    return new RetryConfig(checkRetries(retries), ms, 1, ms);
  }

  /** Up to `retries` retries; delays double from `initial`, capped by `maxDelay` (default: none). */
  static exponential(retries: number, initial: Duration, options: { maxDelay?: Duration } = {}): RetryConfig {
    const ms = toMillis(initial, "retry delay");
    const max =
      options.maxDelay === undefined ? Number.MAX_SAFE_INTEGER : toMillis(options.maxDelay, "maxDelay");
    return new RetryConfig(checkRetries(retries), ms, 2, max);
  }

  /** Delay in ms before retry number `retry` (1-based). */
  delayBefore(retry: number): number {
    return Math.min(this.maxDelayMs, this.initialDelayMs * this.multiplier ** Math.max(0, retry - 1));
  }
}

function checkRetries(retries: number): number {
  if (!Number.isInteger(retries) || retries < 0) {
    throw new ValidationError(`retries must be a non-negative integer, got ${retries}.`);
  }
  return retries;
}
