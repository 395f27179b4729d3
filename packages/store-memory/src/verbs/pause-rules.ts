import type { PauseRule } from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";

function copyRule(rule: PauseRule): PauseRule {
  return structuredClone(rule);
}

export function createPauseRule(ctx: MemoryContext, rule: PauseRule): void {
  ctx.storage.pauseRules.set(rule.ruleId, copyRule(rule));
  ctx.emit("pause-rules", rule.ruleId);
}

/** The rules in force at `now`: an expired one stops applying by itself. */
export function listPauseRules(ctx: MemoryContext, now: Date): PauseRule[] {
  return [...ctx.storage.pauseRules.values()]
    .filter((rule) => rule.expiresAt === undefined || rule.expiresAt > now)
    .sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))
    .map(copyRule);
}

export function deletePauseRule(ctx: MemoryContext, ruleId: string): boolean {
  const deleted = ctx.storage.pauseRules.delete(ruleId);
  if (deleted) ctx.emit("pause-rules", ruleId);
  return deleted;
}
