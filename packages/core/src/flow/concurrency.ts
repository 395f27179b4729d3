import { ValidationError } from "../errors.js";
import { assertId } from "../validation.js";

/**
 * A fleet-wide concurrency limit: at most `limit` executions (per `key(data)`, when given) hold a
 * running lease at once, across every worker. Waiting and sleeping executions do not count.
 */
export interface ConcurrencyOptions<Data = unknown> {
  /** A positive integer. */
  limit: number;
  /**
   * The group an execution counts in (e.g. a tenant id): a non-empty string, computed at start.
   * (A method, not a function property: methods are bivariant in their parameters, so a
   * `TaskDefinition<{ tenant: string }>` still passes where a `TaskDefinition` is expected.)
   */
  key?(data: Data): string;
}

/** A checked limit and the scope it counts in (`task:<name>` or `queue:<name>`). */
export interface ConcurrencyGroup {
  scope: string;
  limit: number;
  key?: (data: unknown) => string;
}

/** Checks `limit` (a positive integer); throws `ValidationError` naming `what`. */
export function checkLimit(limit: unknown, what: string): number {
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1) {
    throw new ValidationError(`${what}: limit must be a positive integer, got ${String(limit)}.`);
  }
  return limit;
}

/** Checks a `concurrency` option and ties it to `scope`. */
export function concurrencyGroup(scope: string, options: unknown, what: string): ConcurrencyGroup {
  if (typeof options !== "object" || options === null) {
    throw new ValidationError(`${what}: concurrency must be { limit, key? }.`);
  }
  const { limit, key } = options as ConcurrencyOptions;
  if (key !== undefined && typeof key !== "function") {
    throw new ValidationError(`${what}: concurrency.key must be a function of the input.`);
  }
  return { scope, limit: checkLimit(limit, `${what} concurrency`), ...(key ? { key } : {}) };
}

/**
 * The key an execution of `group` is persisted with: the scope, then `"\n"` and `key(data)` when
 * the group has a key function (scope names never hold control characters, so keys of different
 * scopes never collide). A key function that throws or returns anything but a non-empty printable
 * string → `ValidationError`.
 */
export function concurrencyKeyOf(group: ConcurrencyGroup, data: unknown): string {
  if (group.key === undefined) return group.scope;
  let key: unknown;
  try {
    key = group.key(data);
  } catch (error) {
    throw new ValidationError(`The concurrency key of ${group.scope} threw: ${String(error)}`);
  }
  assertId(key, `The concurrency key of ${group.scope}`);
  return `${group.scope}\n${key}`;
}
