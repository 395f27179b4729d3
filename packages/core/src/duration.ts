import { ValidationError } from "./errors.js";

/** Milliseconds, or a string such as `"250ms"`, `"30s"`, `"5m"`, `"24h"`, `"7d"`. */
export type Duration = number | `${number}${DurationUnit}`;
type DurationUnit = "ms" | "s" | "m" | "h" | "d";

const UNIT_MS: Record<DurationUnit, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;

/** Converts a {@link Duration} to milliseconds; throws `ValidationError` on anything else. */
export function toMillis(duration: Duration | string, what = "duration"): number {
  if (typeof duration === "number") {
    if (!Number.isFinite(duration) || duration < 0) {
      throw new ValidationError(`${what} must be a non-negative number of milliseconds, got ${duration}.`);
    }
    return duration;
  }
  const match = typeof duration === "string" ? PATTERN.exec(duration.trim()) : null;
  if (!match) {
    throw new ValidationError(
      `${what} "${String(duration)}" is not a duration; use e.g. 250ms, 30s, 5m, 24h or 7d.`,
    );
  }
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as DurationUnit]);
}
