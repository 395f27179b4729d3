import type { PauseRule } from "../scheduler/pause-rules.js";
import type { StepRecord } from "../scheduler/records.js";

/** A rule applies until its expiry (exclusive); without one, until it is deleted. */
export function appliesAt(rule: PauseRule, now: Date): boolean {
  return rule.expiresAt === undefined || rule.expiresAt > now;
}

/**
 * The rule holding an execution of `taskName` about to start `stepName`: a rule of that step, or a
 * step-less one of the task (a running execution stops at its next step), whichever comes first.
 */
export function heldAtStep(
  rules: readonly PauseRule[],
  taskName: string,
  stepName: string,
  now: Date,
): PauseRule | undefined {
  return rules.find(
    (rule) =>
      rule.taskName === taskName &&
      (rule.stepName === undefined || rule.stepName === stepName) &&
      appliesAt(rule, now),
  );
}

/**
 * True when a paused execution was paused by a step rule (its history holds a step recorded as
 * `paused`) and no rule of that step applies any more: it may be resumed.
 */
export function releasesStep(
  rules: readonly PauseRule[],
  taskName: string,
  steps: readonly StepRecord[],
  now: Date,
): boolean {
  const held = steps.find((step) => step.status === "paused");
  if (held === undefined) return false;
  return !rules.some(
    (rule) => rule.taskName === taskName && rule.stepName === held.name && appliesAt(rule, now),
  );
}
