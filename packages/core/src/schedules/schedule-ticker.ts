import type { Logger } from "../engine/logger.js";
import { captureTraceContext } from "../hooks/trace-context.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import type { StoredSchedule } from "../scheduler/schedules.js";
import { isTerminal } from "../scheduler/vocabularies.js";
import type { TaskRegistry } from "../task/task-registry.js";
import { compileCron } from "./cron.js";
import { type FirePlan, planFires } from "./plan-fires.js";
import { fireExecution, fromStored, type ScheduleState, toStored } from "./schedule-state.js";

/** Due schedules read per tick. */
const TICK_BATCH = 100;

/**
 * Fires due schedules from a worker's claim loop: no extra process. A tick reads the schedules of
 * the worker's tasks that are due, plans each one's fires and writes the plan over the version it
 * read (`writeSchedule`), which starts the fires' executions in the same transaction. Workers race
 * freely: one write per version wins, and fire execution ids derive from the schedule id and fire
 * time. Ticks run at most once per `intervalMs` of clock time, or sooner when a known due time passed.
 */
export class ScheduleTicker {
  readonly #scheduler: Scheduler;
  /** Fires start on the task's version last registered here (see `fireExecution`). */
  readonly #registry: TaskRegistry;
  readonly #intervalMs: number;
  readonly #logger: Logger;
  #lastTickMs = Number.NEGATIVE_INFINITY;
  #nextDueMs = Number.POSITIVE_INFINITY;

  constructor(scheduler: Scheduler, registry: TaskRegistry, intervalMs: number, logger: Logger) {
    this.#scheduler = scheduler;
    this.#registry = registry;
    this.#intervalMs = intervalMs;
    this.#logger = logger;
  }

  /** The earliest due time this ticker saw that is still ahead (for a timer), if any. */
  get nextDueAt(): number {
    return this.#nextDueMs;
  }

  /**
   * Ticks when `force`d (a timer poll), when the interval has passed or when a known due time has
   * come; never throws (logs instead).
   */
  async maybeTick(taskNames: readonly string[], force = false): Promise<void> {
    const now = this.#scheduler.clock.now();
    const ms = now.getTime();
    if (!force && ms - this.#lastTickMs < this.#intervalMs && ms < this.#nextDueMs) return;
    this.#lastTickMs = ms;
    this.#nextDueMs = Number.POSITIVE_INFINITY;
    try {
      const due = await this.#scheduler.dueSchedules({ taskNames, now, limit: TICK_BATCH });
      for (const row of due) await this.#fire(row, now);
      if (due.length === TICK_BATCH) this.#nextDueMs = ms;
    } catch (error) {
      this.#logger.error({ error: String(error) }, "firing schedules failed; retrying at the next poll");
    }
  }

  async #fire(row: StoredSchedule, now: Date): Promise<void> {
    const state = fromStored(row);
    const plan = planFires(state, compileCron(state), now, await this.#previousRunning(state));
    this.#learn(plan?.state ?? state);
    if (!plan) return;
    await this.#cancelPrevious(plan);
    const traceContext = captureTraceContext();
    await this.#scheduler.writeSchedule(
      {
        schedule: toStored(plan.state, row.version + 1),
        expectedVersion: row.version,
        start: plan.start.map(({ executionId, fireAt }) =>
          fireExecution(
            state,
            executionId,
            fireAt,
            this.#registry.find(state.taskName)?.version,
            traceContext,
          ),
        ),
      },
      now,
    );
  }

  async #previousRunning(state: ScheduleState): Promise<boolean> {
    const previous = state.recentExecutionIds[0];
    if (previous === undefined) return false;
    const details = await this.#scheduler.getExecution(previous);
    return details !== undefined && !isTerminal(details.execution.status);
  }

  /**
   * Cancels before the write: idempotent, and every worker racing on this version plans the same
   * cancel, so a crash between the two leaves a state the next tick completes.
   */
  async #cancelPrevious(plan: FirePlan): Promise<void> {
    if (!plan.cancel) return;
    await this.#scheduler.cancelExecution(plan.cancel, this.#scheduler.clock.now()).catch(() => false);
  }

  #learn(state: ScheduleState): void {
    const due = toStored(state, 0).dueAt?.getTime();
    if (due !== undefined && due < this.#nextDueMs) this.#nextDueMs = due;
  }
}
