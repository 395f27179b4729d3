import { randomUUID } from "node:crypto";
import { type Duration, toMillis } from "../duration.js";
import { ValidationError } from "../errors.js";
import type { PauseRule } from "../scheduler/pause-rules.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import { assertId } from "../validation.js";
import { PauseRuleNotFoundError } from "./pause-rule-errors.js";

export interface PauseRuleOptions {
  /** The task whose executions to hold (it need not be registered: rules may precede deploys). */
  taskName: string;
  /** Only executions about to start a step with this name; absent = every execution of the task. */
  stepName?: string;
  /** The rule expires this long after its creation (> 0). */
  for?: Duration;
  /** The rule expires at this instant (in the future); not with `for`. */
  until?: Date;
}

/**
 * Pause rules (`durable.pauseRules`): hold every execution of a task, or only those about to start
 * a named step, until the rule is deleted or expires. Workers read the rules once per poll
 * interval (at once on stores that push): a task held by a step-less rule is not claimed, so its
 * executions stay `pending` (a running one stops at its next step); an execution about to start
 * a held step is `paused` there and resumed by the workers once the rule stops applying.
 */
export class PauseRules {
  readonly #scheduler: Scheduler;

  constructor(scheduler: Scheduler) {
    this.#scheduler = scheduler;
  }

  /** Validates, then stores the rule and returns it (its `ruleId` is generated). */
  async create(options: PauseRuleOptions): Promise<PauseRule> {
    assertId(options.taskName, "task name");
    if (options.stepName !== undefined) assertId(options.stepName, "step name");
    const now = this.#scheduler.clock.now();
    const expiresAt = expiryOf(options, now);
    const rule: PauseRule = {
      ruleId: randomUUID(),
      taskName: options.taskName,
      ...(options.stepName === undefined ? {} : { stepName: options.stepName }),
      createdAt: now,
      ...(expiresAt === undefined ? {} : { expiresAt }),
    };
    await this.#scheduler.createPauseRule(rule);
    return rule;
  }

  /** The rules in force now (expired ones are left out), ordered by id. */
  list(): Promise<PauseRule[]> {
    return this.#scheduler.listPauseRules(this.#scheduler.clock.now());
  }

  /** Deletes a rule: what it held runs again. Unknown id → `PauseRuleNotFoundError`. */
  async delete(ruleId: string): Promise<void> {
    assertId(ruleId, "rule id");
    if (!(await this.#scheduler.deletePauseRule(ruleId))) throw new PauseRuleNotFoundError(ruleId);
  }
}

function expiryOf(options: PauseRuleOptions, now: Date): Date | undefined {
  if (options.for !== undefined && options.until !== undefined) {
    throw new ValidationError("Give a pause rule `for` or `until`, not both.");
  }
  if (options.for !== undefined) {
    const ms = toMillis(options.for, "for");
    if (ms <= 0) throw new ValidationError("A pause rule's `for` must be longer than zero.");
    return new Date(now.getTime() + ms);
  }
  if (options.until !== undefined) {
    if (!(options.until instanceof Date) || Number.isNaN(options.until.getTime())) {
      throw new ValidationError("A pause rule's `until` must be a valid Date.");
    }
    if (options.until <= now) throw new ValidationError("A pause rule's `until` must be in the future.");
    return new Date(options.until);
  }
  return undefined;
}
