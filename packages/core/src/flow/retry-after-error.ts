import { type Duration, toMillis } from "../duration.js";
import { ValidationError, ZartError } from "../errors.js";

/**
 * Throw it from a step to try the step again later without spending a retry attempt: the
 * execution parks durably until then (the worker is freed) and the step runs again at that time.
 * The pattern an HTTP 429 with `Retry-After` needs.
 *
 * ```ts
 * await ctx.step("call-api", async () => {
 *   const res = await fetch(url);
 *   if (res.status === 429) throw new RetryAfterError(`${Number(res.headers.get("retry-after"))}s`);
 *   return res.json();
 * });
 * ```
 */
export class RetryAfterError extends ZartError {
  /** The instant to retry at, or the delay from the moment the engine catches the error. */
  readonly after: Date | number;

  constructor(after: Duration | Date, message?: string) {
    const resolved = after instanceof Date ? validDate(after) : toMillis(after, "RetryAfterError delay");
    const when = resolved instanceof Date ? resolved.toISOString() : `${resolved} ms`;
    super("RETRY_AFTER", message ?? `Asked to retry after ${when}.`, {
      details: { retryAfter: resolved instanceof Date ? resolved.toISOString() : resolved },
    });
    this.after = resolved;
  }

  /** When to run again, for an error caught at `now`. */
  retryAt(now: Date): Date {
    return this.after instanceof Date ? this.after : new Date(now.getTime() + this.after);
  }
}

/** The retry time asked for by `error` or an error in its cause chain; `undefined` if none. */
export function retryAfterTime(error: unknown, now: Date): Date | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    if (e instanceof RetryAfterError) return e.retryAt(now);
  }
  return undefined;
}

function validDate(date: Date): Date {
  if (Number.isNaN(date.getTime())) throw new ValidationError("RetryAfterError was given an invalid Date.");
  return date;
}
