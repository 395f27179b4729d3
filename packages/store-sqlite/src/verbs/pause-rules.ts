import type { PauseRule } from "@zart/core/store";
import { asc, eq, gt, isNull, or } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { type PauseRuleRow, pauseRules } from "../db/schema.js";

function toRule(row: PauseRuleRow): PauseRule {
  return {
    ruleId: row.ruleId,
    taskName: row.taskName,
    ...(row.stepName === null ? {} : { stepName: row.stepName }),
    createdAt: row.createdAt,
    ...(row.expiresAt === null ? {} : { expiresAt: row.expiresAt }),
  };
}

export async function createPauseRule(ctx: SqliteContext, rule: PauseRule): Promise<void> {
  const { orm } = ctx;
  await ctx.write(() => {
    orm
      .insert(pauseRules)
      .values({
        ruleId: rule.ruleId,
        taskName: rule.taskName,
        stepName: rule.stepName ?? null,
        createdAt: rule.createdAt,
        expiresAt: rule.expiresAt ?? null,
      })
      .run();
  });
  ctx.emit("pause-rules", rule.ruleId);
}

/** The rules in force at `now`: an expired row stays but no longer applies. */
export async function listPauseRules(ctx: SqliteContext, now: Date): Promise<PauseRule[]> {
  const { orm } = ctx;
  return ctx.read(() =>
    orm
      .select()
      .from(pauseRules)
      .where(or(isNull(pauseRules.expiresAt), gt(pauseRules.expiresAt, now)))
      .orderBy(asc(pauseRules.ruleId))
      .all()
      .map(toRule),
  );
}

export async function deletePauseRule(ctx: SqliteContext, ruleId: string): Promise<boolean> {
  const { orm } = ctx;
  const deleted = await ctx.write(
    () => orm.delete(pauseRules).where(eq(pauseRules.ruleId, ruleId)).returning().all().length > 0,
  );
  if (deleted) ctx.emit("pause-rules", ruleId);
  return deleted;
}
