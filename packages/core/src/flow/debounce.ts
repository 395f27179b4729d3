import { type Duration, toMillis } from "../duration.js";
import { ValidationError } from "../errors.js";
import { assertId } from "../validation.js";

/**
 * `start(..., { debounce })`: starts of one task with the same `key` collapse into one execution
 * that runs `period` after the last of them, with the last one's data.
 */
export interface DebounceOptions {
  /** Scoped by task: a non-empty string (e.g. a user id). */
  key: string;
  /** Each start with the key pushes the due time to now + `period`. */
  period: Duration;
  /** The due time never goes beyond the first start + `timeout`, however many starts follow. */
  timeout?: Duration;
}

/** A checked debounce: the key and milliseconds. */
export interface Debounce {
  key: string;
  periodMs: number;
  timeoutMs?: number;
}

/**
 * Checks `debounce` and the options beside it: a debounced start's due time is the debounce's, so
 * `runAt` and `delay` are refused, and so is `transaction` (the holder may be another caller's
 * execution, which a rollback of yours could not undo).
 */
export function checkDebounce(
  debounce: unknown,
  options: { runAt?: unknown; delay?: unknown; transaction?: unknown },
): Debounce | undefined {
  if (debounce === undefined) return undefined;
  if (typeof debounce !== "object" || debounce === null) {
    throw new ValidationError("debounce must be an object { key, period, timeout? }.");
  }
  for (const option of ["runAt", "delay", "transaction"] as const) {
    if (options[option] !== undefined) {
      throw new ValidationError(
        `debounce cannot be combined with ${option}: the debounce decides when it runs.`,
      );
    }
  }
  const { key, period, timeout } = debounce as Partial<DebounceOptions>;
  assertId(key, "debounce.key");
  const periodMs = toMillis(period as Duration, "debounce.period");
  if (timeout === undefined) return { key: key as string, periodMs };
  return { key: key as string, periodMs, timeoutMs: toMillis(timeout, "debounce.timeout") };
}
