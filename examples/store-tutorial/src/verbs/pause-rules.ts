import type { PauseRule } from "@zart/core/store";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

// Pause rules: plain rows the engine reads; the store only keeps them and hides expired ones.

export function createPauseRule(storage: TutorialStorage, rule: PauseRule): void {
  storage.pauseRules.set(rule.ruleId, structuredClone(rule));
}

/** An expired rule stops applying by itself: no job has to delete it. */
export function listPauseRules(storage: TutorialStorage, now: Date): PauseRule[] {
  return [...storage.pauseRules.values()]
    .filter((rule) => rule.expiresAt === undefined || rule.expiresAt > now)
    .sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))
    .map((rule) => structuredClone(rule));
}

export function deletePauseRule(storage: TutorialStorage, ruleId: string): boolean {
  return storage.pauseRules.delete(ruleId);
}
