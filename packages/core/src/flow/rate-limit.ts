import { type Duration, toMillis } from "../duration.js";
import { ValidationError } from "../errors.js";
import { assertId } from "../validation.js";
import { checkLimit } from "./concurrency.js";

/**
 * A fleet-wide rate limit: at most `limit` executions (per `key(data)`, when given) START per
 * `period`, across every worker. Windows are fixed and aligned to the epoch (the window of an
 * instant is `floor(now / period)`); only the first claim of a run counts (resuming after a sleep,
 * a wait or a retry is not a new start). Work over the limit stays pending until the window ends.
 */
export interface RateLimitOptions<Data = unknown> {
  /** A positive integer: starts allowed per window. */
  limit: number;
  /** The window length: a duration string (`"1m"`) or milliseconds. */
  period: Duration;
  /** The group the starts count in (e.g. a tenant id): a non-empty string, computed at start. */
  key?(data: Data): string;
}

/** A checked rate limit and the scope it counts in (`task:<name>` or `queue:<name>`). */
export interface RateGroup {
  scope: string;
  limit: number;
  periodMs: number;
  key?: (data: unknown) => string;
}

/** Checks `limit` and `period` of a rate (a rate limit or a gate); throws `ValidationError` naming `what`. */
export function checkRate(options: unknown, what: string): { limit: number; periodMs: number } {
  if (typeof options !== "object" || options === null) {
    throw new ValidationError(`${what}: expected { limit, period, key? }.`);
  }
  const { limit, period } = options as RateLimitOptions;
  const periodMs = toMillis(period as Duration, `${what} period`);
  if (!Number.isSafeInteger(periodMs) || periodMs < 1) {
    throw new ValidationError(`${what}: period must be at least 1 ms, got ${String(period)}.`);
  }
  return { limit: checkLimit(limit, what), periodMs };
}

/** Checks a `rateLimit` option and ties it to `scope`. */
export function rateGroup(scope: string, options: unknown, what: string): RateGroup {
  const checked = checkRate(options, `${what} rateLimit`);
  const { key } = options as RateLimitOptions;
  if (key !== undefined && typeof key !== "function") {
    throw new ValidationError(`${what}: rateLimit.key must be a function of the input.`);
  }
  return { scope, ...checked, ...(key ? { key } : {}) };
}

/**
 * The rate key an execution of `group` is persisted with: the scope, then `"\n"` and `key(data)`
 * when the group has a key function. A key function that throws or returns anything but a
 * non-empty printable string → `ValidationError`.
 */
export function rateKeyOf(group: RateGroup, data: unknown): string {
  if (group.key === undefined) return group.scope;
  let key: unknown;
  try {
    key = group.key(data);
  } catch (error) {
    throw new ValidationError(`The rate-limit key of ${group.scope} threw: ${String(error)}`);
  }
  assertId(key, `The rate-limit key of ${group.scope}`);
  return `${group.scope}\n${key}`;
}

/** The fixed window `now` falls in, as its start and end instants (ms since the epoch). */
export function rateWindow(now: number, periodMs: number): { start: number; end: number } {
  const start = Math.floor(now / periodMs) * periodMs;
  return { start, end: start + periodMs };
}
