import type { Duration } from "../duration.js";
import type { CatchupPolicy, ExecutionStatus, OverlapPolicy } from "../scheduler/vocabularies.js";
import type { TaskDefinition } from "../task/define-task.js";

/** `durable.schedules.create(...)`. */
export interface CreateScheduleOptions<D = unknown> {
  /** 1–200 characters; each fire's execution id is `${scheduleId}@${fire time ISO}`. */
  scheduleId: string;
  /** The task each fire starts: a definition or a registered name. */
  task: TaskDefinition<D, unknown> | string;
  /** Cron expression: 5 fields, or 6 with seconds first (croner syntax, `@hourly` etc.). */
  cron: string;
  /** IANA time zone the expression is read in. Default `"UTC"`. */
  timezone?: string;
  /** The input of every fire's execution, validated with the task's schema at create/update. */
  data: D;
  /** Default `"skip"`. */
  overlap?: OverlapPolicy;
  /** Default `"none"`. */
  catchup?: CatchupPolicy;
  /** How far back `catchup: "latest" | "all"` reaches. Default `"1d"`. */
  catchupWindow?: Duration;
  /** No fire before it (inclusive). */
  startAt?: Date;
  /** No fire at or after it. */
  endAt?: Date;
}

/** `durable.schedules.update(id, patch)`: the fields to change (`scheduleId` stays). */
export type UpdateScheduleOptions = Partial<Omit<CreateScheduleOptions, "scheduleId">>;

/** What `schedules.get` / `list` return. */
export interface ScheduleInfo {
  scheduleId: string;
  taskName: string;
  cron: string;
  timezone: string;
  data: unknown;
  overlap: OverlapPolicy;
  catchup: CatchupPolicy;
  catchupWindowMs: number;
  startAt?: Date;
  endAt?: Date;
  paused: boolean;
  /**
   * The next fire time; absent when paused past `endAt`. In the past when no worker running the
   * task ticked it yet (e.g. no worker registers the task): the fire is pending, not lost.
   */
  nextFireAt?: Date;
  /** `buffer-one`: the fire waiting for the previous execution to end. */
  bufferedFireAt?: Date;
  lastFireAt?: Date;
  /** Executions this schedule started, newest first (up to 10). */
  recentExecutionIds: string[];
  /** The newest of them with its current status (`undefined` status: purged). */
  lastExecution?: { executionId: string; status?: ExecutionStatus };
  createdAt: Date;
  updatedAt: Date;
}
