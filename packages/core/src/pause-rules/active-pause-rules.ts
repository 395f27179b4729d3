import type { Logger } from "../engine/logger.js";
import { ExecutionNotPausedError } from "../errors.js";
import type { TaskVersion } from "../scheduler/claims.js";
import type { PauseRule } from "../scheduler/pause-rules.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import { appliesAt, heldAtStep, releasesStep } from "./pause-rule-match.js";

/**
 * A worker's view of the pause rules: read once per poll interval (at once after a `pause-rules`
 * wake-up), so enforcing them costs one small read per interval, not one per claim.
 *
 * - A rule without a step takes its task out of the worker's claims: its executions stay pending
 *   (a running one gives its lease back at its next step), at no cost to the claim query.
 * - A rule with a step pauses an execution about to start that step: the run records the step as
 *   `paused` and pauses the execution (status `paused`). When the rule stops applying (deleted or
 *   expired), the worker resumes the executions paused at that step; `durable.resume(id)` also does.
 */
export class ActivePauseRules {
  readonly #scheduler: Scheduler;
  readonly #logger: Logger;
  readonly #refreshMs: number;
  #rules: PauseRule[] = [];
  /** Step rules in force at the last refresh; one gone since releases its executions. */
  #stepRules = new Map<string, PauseRule>();
  #readAt: number | undefined;
  #stale = true;

  constructor(scheduler: Scheduler, logger: Logger, refreshMs: number) {
    this.#scheduler = scheduler;
    this.#logger = logger;
    this.#refreshMs = refreshMs;
  }

  /** True until the first read, and after `invalidate` until the next: the rules in hand may be wrong. */
  get stale(): boolean {
    return this.#stale;
  }

  /** A rule was created or deleted somewhere: the next refresh reads the rules again. */
  invalidate(): void {
    this.#stale = true;
  }

  /**
   * Reads the rules when `force`d (a timer poll), stale or older than the poll interval (a failed
   * read keeps the last ones), then resumes the executions held by step rules that stopped
   * applying. `taskNames`: the worker's tasks; its first refresh also releases executions whose
   * rule went while no worker ran.
   */
  async refresh(taskNames: readonly string[], force = false): Promise<void> {
    const now = this.#scheduler.clock.now();
    const first = this.#readAt === undefined;
    if (force || this.#stale || first || now.getTime() - (this.#readAt ?? 0) >= this.#refreshMs) {
      try {
        this.#rules = await this.#scheduler.listPauseRules(now);
        this.#readAt = now.getTime();
        this.#stale = false;
      } catch (error) {
        this.#logger.warn({ error: String(error) }, "reading the pause rules failed; keeping the last ones");
      }
    }
    const active = new Map(
      this.#rules.filter((r) => r.stepName !== undefined && appliesAt(r, now)).map((r) => [r.ruleId, r]),
    );
    const gone = [...this.#stepRules.values()].filter((rule) => !active.has(rule.ruleId));
    this.#stepRules = active;
    const sweep = first ? taskNames : [...new Set(gone.map((rule) => rule.taskName))];
    for (const taskName of sweep) await this.#release(taskName, now);
  }

  /** The worker's claim filter without the tasks a step-less rule holds. */
  filterClaim(filter: { taskNames: string[]; taskVersions?: TaskVersion[] }): {
    taskNames: string[];
    taskVersions?: TaskVersion[];
  } {
    const held = this.#heldTasks();
    if (held.size === 0) return filter;
    const taskNames = filter.taskNames.filter((name) => !held.has(name));
    const taskVersions = filter.taskVersions?.filter((tv) => !held.has(tv.taskName));
    return taskVersions && taskVersions.length > 0 ? { taskNames, taskVersions } : { taskNames };
  }

  /** The rule that holds an execution of `taskName` about to start `stepName`, if any. */
  ruleAt(taskName: string, stepName: string): PauseRule | undefined {
    return heldAtStep(this.#rules, taskName, stepName, this.#scheduler.clock.now());
  }

  #heldTasks(): Set<string> {
    const now = this.#scheduler.clock.now();
    return new Set(
      this.#rules.filter((r) => r.stepName === undefined && appliesAt(r, now)).map((r) => r.taskName),
    );
  }

  /** Resumes the paused executions of `taskName` that a step rule paused and none holds now. */
  async #release(taskName: string, now: Date): Promise<void> {
    try {
      const paused = await this.#scheduler.listExecutions({
        status: "paused",
        taskName,
        limit: 1000,
        offset: 0,
      });
      for (const { execution, steps } of paused) {
        if (!releasesStep(this.#rules, execution.taskName, steps, now)) continue;
        await this.#scheduler.resumeExecution(execution.executionId, now).catch((error: unknown) => {
          // Another worker (or an operator) resumed it first.
          if (!(error instanceof ExecutionNotPausedError)) throw error;
        });
      }
    } catch (error) {
      this.#logger.warn(
        { error: String(error), taskName },
        "releasing paused executions failed; retrying later",
      );
      this.#stepRules.clear();
    }
  }
}
