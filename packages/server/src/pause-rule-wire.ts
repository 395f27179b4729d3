import type { PauseRule } from "@zart/core";
import type { WirePauseRule } from "./pause-rule-schemas.js";

/** A pause rule in the API's snake_case (dates as ISO-8601, absent fields absent). */
export function toWirePauseRule(rule: PauseRule): WirePauseRule {
  return {
    rule_id: rule.ruleId,
    task_name: rule.taskName,
    ...(rule.stepName === undefined ? {} : { step_name: rule.stepName }),
    created_at: rule.createdAt.toISOString(),
    ...(rule.expiresAt === undefined ? {} : { expires_at: rule.expiresAt.toISOString() }),
  };
}
