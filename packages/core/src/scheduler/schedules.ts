/**
 * Contract types of schedules (`durable.schedules`). A schedule is a stored row: the engine encodes
 * its definition and fire state as JSON text (`body`, see `schedules/schedule-state.ts`) and keeps
 * beside it the columns a store queries: the task name and `dueAt`. Stores never parse cron
 * expressions nor decide fires: the engine computes every fire and the store applies the result
 * atomically, compare-and-set on `version`, together with the executions the fires start.
 */
import type { NewExecution } from "./client-verbs.js";

/** A schedule as stored. */
export interface StoredSchedule {
  scheduleId: string;
  taskName: string;
  /** When a worker must next look at it (a fire or a buffered fire); absent = never (paused or ended). */
  dueAt?: Date;
  /** Bumped by every write; `writeSchedule` applies only over the version it read. */
  version: number;
  /** The definition and fire state, JSON text written by the engine. */
  body: string;
}

/** What `writeSchedule` applies: the new row, over `expectedVersion`, and the executions to start. */
export interface ScheduleWrite {
  /** The new row (its `version` is `expectedVersion + 1`). */
  schedule: StoredSchedule;
  expectedVersion: number;
  /**
   * Executions to create in the same transaction, each only if no execution with its id exists
   * (whatever its status): a fire's id derives from the schedule id and the fire time.
   */
  start: NewExecution[];
}

export interface DueSchedulesRequest {
  /** Only schedules of these tasks (a worker ticks the schedules of the tasks it runs). */
  taskNames: readonly string[];
  now: Date;
  limit: number;
}

export interface ScheduleListFilter {
  limit: number;
  offset: number;
}

/** The schedule verbs every store implements (part of `Scheduler`). */
export interface ScheduleStore {
  /** Inserts a schedule; its id in use → `ScheduleAlreadyExistsError`, nothing changes. */
  createSchedule(schedule: StoredSchedule, now: Date): Promise<void>;

  /**
   * Atomically: if the schedule exists with `version === expectedVersion`, replaces its row and
   * creates each execution of `start` whose id does not exist yet (`pending`, emitting `created`)
   * → `true`. Otherwise (another writer got there first, or it was deleted) → `false`, nothing
   * written. Among racing writers over the same version exactly one succeeds, so each fire starts
   * at most one execution however many workers tick.
   */
  writeSchedule(write: ScheduleWrite, now: Date): Promise<boolean>;

  /** Deletes the schedule (never its executions); `false` when unknown. */
  deleteSchedule(scheduleId: string): Promise<boolean>;

  getSchedule(scheduleId: string): Promise<StoredSchedule | undefined>;

  /** Ordered by `scheduleId`, paginated. */
  listSchedules(filter: ScheduleListFilter): Promise<StoredSchedule[]>;

  /**
   * Schedules of `taskNames` with `dueAt <= now`, oldest `dueAt` first (then id), at most `limit`.
   * A plain read: the writes that follow are fenced by `version`.
   */
  dueSchedules(request: DueSchedulesRequest): Promise<StoredSchedule[]>;
}
