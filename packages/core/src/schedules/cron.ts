import { Cron } from "croner";
import { ValidationError } from "../errors.js";

/** A parsed cron expression in its time zone, bounded by `startAt` (inclusive) and `endAt` (exclusive). */
export interface CronSpec {
  cron: string;
  timezone: string;
  startAt?: Date | undefined;
  endAt?: Date | undefined;
}

/**
 * Parses with croner (5 fields, or 6 with seconds first; `@daily` and friends), in an IANA time
 * zone. Daylight-saving transitions are croner's: a local time skipped by a spring-forward fires at
 * the first valid time after it; a repeated one fires once. Bad expression or zone → `ValidationError`.
 */
export function compileCron(spec: CronSpec): Cron {
  const key = `${spec.cron}|${spec.timezone}|${spec.startAt?.getTime()}|${spec.endAt?.getTime()}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const cron = compile(spec);
  if (compiled.size >= CACHE_SIZE) compiled.clear();
  compiled.set(key, cron);
  return cron;
}

/** Compiled expressions by spec: ticks re-read the same few schedules. */
const compiled = new Map<string, Cron>();
const CACHE_SIZE = 1000;

function compile(spec: CronSpec): Cron {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: spec.timezone });
  } catch {
    throw new ValidationError(
      `Unknown time zone "${spec.timezone}"; use an IANA name such as "Europe/Paris".`,
    );
  }
  if (spec.startAt && spec.endAt && spec.endAt.getTime() <= spec.startAt.getTime()) {
    throw new ValidationError("endAt must be after startAt.");
  }
  try {
    return new Cron(spec.cron, {
      paused: true,
      // croner's UTC offset path is many times faster than its time-zone path, with the same fires.
      ...(spec.timezone === "UTC" ? { utcOffset: 0 } : { timezone: spec.timezone }),
      ...(spec.startAt ? { startAt: spec.startAt } : {}),
      ...(spec.endAt ? { stopAt: spec.endAt } : {}),
    });
  } catch (error) {
    throw new ValidationError(`Invalid cron expression "${spec.cron}": ${(error as Error).message}`);
  }
}

/** The first fire time strictly after `after`, or `undefined` when there is none (past `endAt`). */
export function nextFire(cron: Cron, after: Date): Date | undefined {
  return cron.nextRun(after) ?? undefined;
}

/** The latest fire time at or before `at`, or `undefined`. */
export function previousFire(cron: Cron, at: Date): Date | undefined {
  return cron.previousRuns(1, new Date(at.getTime() + 1))[0];
}
