/**
 * Contract types of pause rules (`durable.pauseRules`): an operator's stored order to hold back
 * every execution of a task, or only those about to start a named step, until the rule is deleted
 * or expires. The store keeps the rows; the engine enforces them (see `pause-rules/` in the core).
 */

/** A pause rule as stored and listed. */
export interface PauseRule {
  ruleId: string;
  taskName: string;
  /** Only executions about to start a step with this name; absent = every execution of the task. */
  stepName?: string;
  createdAt: Date;
  /** When the rule stops applying (no action needed); absent = until it is deleted. */
  expiresAt?: Date;
}

/** The pause-rule verbs every store implements (part of `Scheduler`). */
export interface PauseRuleStore {
  /** Inserts the rule (the engine makes `ruleId` unique); emits a `pause-rules` wake-up. */
  createPauseRule(rule: PauseRule): Promise<void>;

  /** The rules that apply at `now` (no `expiresAt`, or `expiresAt > now`), ordered by `ruleId`. */
  listPauseRules(now: Date): Promise<PauseRule[]>;

  /**
   * Deletes the rule → `true`, and emits a `pause-rules` wake-up; `false` when unknown. Among
   * racing deletes of one id exactly one gets `true`.
   */
  deletePauseRule(ruleId: string): Promise<boolean>;
}
