import type { NewExecution } from "../scheduler/client-verbs.js";
import type { StoredSchedule } from "../scheduler/schedules.js";
import type { CatchupPolicy, OverlapPolicy } from "../scheduler/vocabularies.js";

/** A schedule's definition and fire state, as the engine encodes it in `StoredSchedule.body`. */
export interface ScheduleState {
  scheduleId: string;
  taskName: string;
  cron: string;
  /** IANA time zone the cron expression is read in. */
  timezone: string;
  /** JSON text of the input every fire starts its execution with. */
  payload: string;
  /** The fleet-wide concurrency group its executions count in (the task's, from `data`). */
  concurrencyKey?: string;
  /** The fleet-wide rate-limit group its executions start in (the task's, from `data`). */
  rateKey?: string;
  overlap: OverlapPolicy;
  catchup: CatchupPolicy;
  /** How far back `latest` / `all` reach, in milliseconds. */
  catchupWindowMs: number;
  startAt?: Date;
  endAt?: Date;
  paused: boolean;
  /** The next fire time; absent once past `endAt`. */
  nextFireAt?: Date;
  /** `buffer-one`: a fire waiting for the previous execution to end. */
  bufferedFireAt?: Date;
  /** The latest fire time that started an execution. */
  lastFireAt?: Date;
  /** The executions this schedule started, newest first (at most {@link RECENT_EXECUTIONS}). */
  recentExecutionIds: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** How many execution ids a schedule remembers. */
export const RECENT_EXECUTIONS = 10;

const DATE_FIELDS = [
  "startAt",
  "endAt",
  "nextFireAt",
  "bufferedFireAt",
  "lastFireAt",
  "createdAt",
  "updatedAt",
];

/**
 * The execution a fire (or a trigger) of `state` starts, on `version`: the task's version last
 * registered in the process that fires it, as a start by name would (absent = unversioned); it
 * traces under `traceContext`, the firing caller's (a trigger's caller, or whatever span is active
 * around a worker's tick: usually none, so each fire starts a trace of its own).
 */
export function fireExecution(
  state: ScheduleState,
  executionId: string,
  runAt: Date,
  version: string | undefined,
  traceContext: string | undefined,
): NewExecution {
  return {
    executionId,
    taskName: state.taskName,
    payload: state.payload,
    runAt,
    ...(state.concurrencyKey === undefined ? {} : { concurrencyKey: state.concurrencyKey }),
    ...(state.rateKey === undefined ? {} : { rateKey: state.rateKey }),
    ...(version === undefined ? {} : { version }),
    ...(traceContext === undefined ? {} : { traceContext }),
  };
}

/** The row to store for `state` at `version`. */
export function toStored(state: ScheduleState, version: number): StoredSchedule {
  const dueAt = state.paused ? undefined : earliest(state.nextFireAt, state.bufferedFireAt);
  return {
    scheduleId: state.scheduleId,
    taskName: state.taskName,
    ...(dueAt ? { dueAt } : {}),
    version,
    body: JSON.stringify(state),
  };
}

/** Reads a stored row's body back (dates revived). */
export function fromStored(row: StoredSchedule): ScheduleState {
  const raw = JSON.parse(row.body) as Record<string, unknown>;
  for (const field of DATE_FIELDS) {
    if (typeof raw[field] === "string") raw[field] = new Date(raw[field]);
  }
  return raw as unknown as ScheduleState;
}

function earliest(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() <= b.getTime() ? a : b;
}
