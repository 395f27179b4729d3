import { toMillis } from "../duration.js";
import { TaskNotRegisteredError, ValidationError } from "../errors.js";
import { flowKeys, type TaskFlow, taskFlow } from "../flow/task-concurrency.js";
import { captureTraceContext } from "../hooks/trace-context.js";
import { fromJsonText, toJsonText } from "../json.js";
import type { NewExecution } from "../scheduler/client-verbs.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import { CATCHUP_POLICIES, OVERLAP_POLICIES } from "../scheduler/vocabularies.js";
import { isTaskDefinition, type TaskDefinition } from "../task/define-task.js";
import type { TaskRegistry } from "../task/task-registry.js";
import { assertId, validateWith } from "../validation.js";
import { compileCron, nextFire } from "./cron.js";
import { ScheduleNotFoundError } from "./schedule-errors.js";
import type { CreateScheduleOptions, ScheduleInfo, UpdateScheduleOptions } from "./schedule-options.js";
import {
  fireExecution,
  fromStored,
  RECENT_EXECUTIONS,
  type ScheduleState,
  toStored,
} from "./schedule-state.js";

const MAX_SCHEDULE_ID = 200;
const DEFAULT_CATCHUP_WINDOW = "1d";
/** Compare-and-set attempts of a client write racing the workers' ticks. */
const WRITE_ATTEMPTS = 20;

/**
 * `durable.schedules`: cron schedules stored in the store, fired by the workers that run their
 * task. Every method validates first and stores nothing when it throws.
 */
export class Schedules {
  readonly #scheduler: Scheduler;
  readonly #registry: TaskRegistry | undefined;
  readonly #maxPayloadBytes: number;

  constructor(scheduler: Scheduler, registry: TaskRegistry | undefined, maxPayloadBytes: number) {
    this.#scheduler = scheduler;
    this.#registry = registry;
    this.#maxPayloadBytes = maxPayloadBytes;
  }

  /** Creates a schedule. Its id in use → `ScheduleAlreadyExistsError` (no upsert). */
  async create<D>(options: CreateScheduleOptions<D>): Promise<ScheduleInfo> {
    assertId(options.scheduleId, "scheduleId");
    if (options.scheduleId.length > MAX_SCHEDULE_ID)
      throw new ValidationError(`scheduleId is longer than ${MAX_SCHEDULE_ID} characters.`);
    const now = this.#scheduler.clock.now();
    // `D` only types `data` for the caller; a task's `concurrency.key(data)` makes it invariant.
    const state = await this.#build(
      options as CreateScheduleOptions,
      { createdAt: now, updatedAt: now },
      now,
    );
    await this.#scheduler.createSchedule(toStored(state, 1), now);
    return this.#info(state);
  }

  /** Changes the given fields; a new cron, zone, `startAt` or `endAt` recomputes the next fire from now. */
  async update(scheduleId: string, patch: UpdateScheduleOptions): Promise<ScheduleInfo> {
    return this.#rewrite(scheduleId, async (state, now) => {
      const merged = { ...this.#options(state), ...definedOnly(patch), scheduleId };
      const timing = ["cron", "timezone", "startAt", "endAt"].some((k) => k in definedOnly(patch));
      const next = await this.#build(merged, state, now, timing ? undefined : state.nextFireAt);
      const kept = state.lastFireAt ? { lastFireAt: state.lastFireAt } : {};
      return {
        state: { ...next, ...kept, paused: state.paused, recentExecutionIds: state.recentExecutionIds },
      };
    });
  }

  /** Stops firing until `resume`; fires that fall while paused are never started. */
  pause(scheduleId: string): Promise<ScheduleInfo> {
    return this.#rewrite(scheduleId, async (state) => ({ state: { ...state, paused: true } }));
  }

  /** Fires again from the next fire time after now. */
  resume(scheduleId: string): Promise<ScheduleInfo> {
    return this.#rewrite(scheduleId, async (state, now) => {
      const next = nextFire(compileCron(state), now);
      const { nextFireAt: _, bufferedFireAt: __, ...rest } = state;
      return { state: { ...rest, paused: false, ...(next ? { nextFireAt: next } : {}) } };
    });
  }

  /**
   * Starts one execution now, whatever the overlap policy and even when paused; its id is
   * `${scheduleId}@trigger-${now ISO}`. Returns that id.
   */
  async trigger(scheduleId: string): Promise<{ executionId: string }> {
    let executionId = "";
    const traceContext = captureTraceContext();
    await this.#rewrite(scheduleId, async (state, now) => {
      executionId = `${scheduleId}@trigger-${now.toISOString()}`;
      const recentExecutionIds = [executionId, ...state.recentExecutionIds].slice(0, RECENT_EXECUTIONS);
      return {
        state: { ...state, recentExecutionIds },
        start: [
          fireExecution(state, executionId, now, this.#registry?.find(state.taskName)?.version, traceContext),
        ],
      };
    });
    return { executionId };
  }

  /** Deletes the schedule (its executions stay). Unknown id → `ScheduleNotFoundError`. */
  async delete(scheduleId: string): Promise<void> {
    assertId(scheduleId, "scheduleId");
    if (!(await this.#scheduler.deleteSchedule(scheduleId))) throw new ScheduleNotFoundError(scheduleId);
  }

  /** The schedule with its next fire time and last execution. Unknown id → `ScheduleNotFoundError`. */
  async get(scheduleId: string): Promise<ScheduleInfo> {
    assertId(scheduleId, "scheduleId");
    const row = await this.#scheduler.getSchedule(scheduleId);
    if (!row) throw new ScheduleNotFoundError(scheduleId);
    return this.#info(fromStored(row));
  }

  /** Ordered by id. `limit` 1–1000 (default 100), `offset` ≥ 0. */
  async list(options: { limit?: number; offset?: number } = {}): Promise<ScheduleInfo[]> {
    const limit = options.limit ?? 100;
    const offset = options.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new ValidationError("limit must be an integer from 1 to 1000.");
    if (!Number.isInteger(offset) || offset < 0)
      throw new ValidationError("offset must be a non-negative integer.");
    const rows = await this.#scheduler.listSchedules({ limit, offset });
    return Promise.all(rows.map((row) => this.#info(fromStored(row))));
  }

  /** Read, change, compare-and-set; retried when a worker's tick wrote in between. */
  async #rewrite(
    scheduleId: string,
    change: (
      state: ScheduleState,
      now: Date,
    ) => Promise<{
      state: ScheduleState;
      start?: NewExecution[];
    }>,
  ): Promise<ScheduleInfo> {
    assertId(scheduleId, "scheduleId");
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const row = await this.#scheduler.getSchedule(scheduleId);
      if (!row) throw new ScheduleNotFoundError(scheduleId);
      const now = this.#scheduler.clock.now();
      const changed = await change(fromStored(row), now);
      const state = { ...changed.state, updatedAt: now };
      const written = await this.#scheduler.writeSchedule(
        {
          schedule: toStored(state, row.version + 1),
          expectedVersion: row.version,
          start: changed.start ?? [],
        },
        now,
      );
      if (written) return this.#info(state);
    }
    throw new ValidationError(`Schedule "${scheduleId}" kept changing under this write; try again.`);
  }

  /** Validates options into a state; `keepNext` keeps the next fire time instead of recomputing it. */
  async #build(
    options: CreateScheduleOptions,
    times: { createdAt: Date; updatedAt: Date },
    now: Date,
    keepNext?: Date,
  ): Promise<ScheduleState> {
    const { taskName, task, flow } = this.#task(options.task);
    if (typeof options.cron !== "string" || options.cron.trim() === "")
      throw new ValidationError("cron must be a non-empty cron expression.");
    const timezone = options.timezone ?? "UTC";
    checkDate(options.startAt, "startAt");
    checkDate(options.endAt, "endAt");
    const overlap = options.overlap ?? "skip";
    if (!OVERLAP_POLICIES.includes(overlap))
      throw new ValidationError(`overlap must be one of ${OVERLAP_POLICIES.join(", ")}.`);
    const catchup = options.catchup ?? "none";
    if (!CATCHUP_POLICIES.includes(catchup))
      throw new ValidationError(`catchup must be one of ${CATCHUP_POLICIES.join(", ")}.`);
    const catchupWindowMs = toMillis(options.catchupWindow ?? DEFAULT_CATCHUP_WINDOW, "catchupWindow");
    const spec = { cron: options.cron, timezone, startAt: options.startAt, endAt: options.endAt };
    const cron = compileCron(spec);
    const input = task?.input
      ? await validateWith(task.input, options.data, `Input of task "${taskName}"`)
      : options.data;
    const payload = toJsonText(input, "The schedule's data", this.#maxPayloadBytes) ?? "null";
    const keys = flowKeys(flow, input);
    const nextFireAt = keepNext ?? nextFire(cron, now);
    return {
      scheduleId: options.scheduleId,
      taskName,
      cron: options.cron,
      timezone,
      payload,
      ...keys,
      overlap,
      catchup,
      catchupWindowMs,
      ...(options.startAt ? { startAt: options.startAt } : {}),
      ...(options.endAt ? { endAt: options.endAt } : {}),
      paused: false,
      ...(nextFireAt ? { nextFireAt } : {}),
      recentExecutionIds: [],
      createdAt: times.createdAt,
      updatedAt: times.updatedAt,
    };
  }

  #task(task: TaskDefinition<never, unknown> | TaskDefinition | string): {
    taskName: string;
    task?: Pick<TaskDefinition, "input">;
    flow?: TaskFlow | undefined;
  } {
    if (isTaskDefinition(task)) {
      return { taskName: task.name, task, flow: taskFlow(task.name, task) };
    }
    assertId(task, "task");
    const registered = this.#registry?.find(task);
    if (this.#registry && !registered) throw new TaskNotRegisteredError(task);
    return registered ? { taskName: task, task: registered, flow: registered } : { taskName: task };
  }

  #options(state: ScheduleState): CreateScheduleOptions {
    return {
      scheduleId: state.scheduleId,
      task: state.taskName,
      cron: state.cron,
      timezone: state.timezone,
      data: fromJsonText(state.payload),
      overlap: state.overlap,
      catchup: state.catchup,
      catchupWindow: state.catchupWindowMs,
      ...(state.startAt ? { startAt: state.startAt } : {}),
      ...(state.endAt ? { endAt: state.endAt } : {}),
    };
  }

  async #info(state: ScheduleState): Promise<ScheduleInfo> {
    const { payload, recentExecutionIds, ...rest } = state;
    const lastId = recentExecutionIds[0];
    const last = lastId === undefined ? undefined : await this.#scheduler.getExecution(lastId);
    return {
      ...rest,
      data: fromJsonText(payload),
      recentExecutionIds,
      ...(lastId === undefined
        ? {}
        : { lastExecution: { executionId: lastId, ...(last ? { status: last.execution.status } : {}) } }),
    };
  }
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function checkDate(value: unknown, what: string): void {
  if (value !== undefined && (!(value instanceof Date) || Number.isNaN(value.getTime())))
    throw new ValidationError(`${what} must be a valid Date.`);
}
