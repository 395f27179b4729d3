import type { PauseRule } from "@zart/core/store";
import type { RedisContext } from "../db/context.js";

/** A rule as stored in the `pause-rules` hash: times in epoch ms. */
interface StoredRule {
  ruleId: string;
  taskName: string;
  stepName?: string;
  createdAt: number;
  expiresAt?: number;
}

export async function createPauseRule(ctx: RedisContext, rule: PauseRule): Promise<void> {
  const stored: StoredRule = {
    ruleId: rule.ruleId,
    taskName: rule.taskName,
    ...(rule.stepName === undefined ? {} : { stepName: rule.stepName }),
    createdAt: rule.createdAt.getTime(),
    ...(rule.expiresAt === undefined ? {} : { expiresAt: rule.expiresAt.getTime() }),
  };
  await ctx.executor.runGlobal("createPauseRule", [rule.ruleId, JSON.stringify(stored), ctx.origin]);
  ctx.emit("pause-rules", rule.ruleId);
}

/** The rules in force at `now`: an expired one stays stored but no longer applies. */
export async function listPauseRules(ctx: RedisContext, now: Date): Promise<PauseRule[]> {
  const rows = (await ctx.executor.runGlobal("listPauseRules", [])) as string[];
  return rows
    .map((json) => JSON.parse(String(json)) as StoredRule)
    .filter((rule) => rule.expiresAt === undefined || rule.expiresAt > now.getTime())
    .sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))
    .map(({ createdAt, expiresAt, ...rest }) => ({
      ...rest,
      createdAt: new Date(createdAt),
      ...(expiresAt === undefined ? {} : { expiresAt: new Date(expiresAt) }),
    }));
}

export async function deletePauseRule(ctx: RedisContext, ruleId: string): Promise<boolean> {
  const deleted = (await ctx.executor.runGlobal("deletePauseRule", [ruleId, ctx.origin])) === 1;
  if (deleted) ctx.emit("pause-rules", ruleId);
  return deleted;
}
