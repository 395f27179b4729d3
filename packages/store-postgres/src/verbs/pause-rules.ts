import type { PauseRule } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import type { WakeUps } from "../wake-ups/wake-ups.js";

interface PauseRuleRow {
  rule_id: string;
  task_name: string;
  step_name: string | null;
  created_at: Date;
  expires_at: Date | null;
}

function toRule(row: PauseRuleRow): PauseRule {
  return {
    ruleId: row.rule_id,
    taskName: row.task_name,
    ...(row.step_name === null ? {} : { stepName: row.step_name }),
    createdAt: row.created_at,
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
  };
}

/** The insert and its NOTIFY commit together, so other processes re-read the rules at once. */
const createSql = statement(
  "create-pause-rule",
  (n) => `
  WITH created AS (
    INSERT INTO ${n.pauseRules} (rule_id, task_name, step_name, created_at, expires_at)
    VALUES ($1, $2, $3, $4, $5) RETURNING rule_id
  )
  SELECT pg_notify($6, $7)::text AS notified FROM created`,
);

/** An expired row stays but no longer applies. */
const listSql = statement(
  "list-pause-rules",
  (n) => `SELECT * FROM ${n.pauseRules} WHERE expires_at IS NULL OR expires_at > $1 ORDER BY rule_id`,
);

const deleteSql = statement(
  "delete-pause-rule",
  (n) => `
  WITH deleted AS (DELETE FROM ${n.pauseRules} WHERE rule_id = $1 RETURNING rule_id)
  SELECT pg_notify($2, $3)::text AS notified FROM deleted`,
);

export async function createPauseRule(db: Database, wakeUps: WakeUps, rule: PauseRule): Promise<void> {
  const notify = wakeUps.notice("pause-rules", rule.ruleId);
  await db.run(createSql, [
    rule.ruleId,
    rule.taskName,
    rule.stepName ?? null,
    rule.createdAt,
    rule.expiresAt ?? null,
    ...notify,
  ]);
  wakeUps.emit("pause-rules", rule.ruleId);
}

export async function listPauseRules(db: Database, now: Date): Promise<PauseRule[]> {
  return (await db.run<PauseRuleRow>(listSql, [now])).rows.map(toRule);
}

export async function deletePauseRule(db: Database, wakeUps: WakeUps, ruleId: string): Promise<boolean> {
  const notify = wakeUps.notice("pause-rules", ruleId);
  const deleted = ((await db.run(deleteSql, [ruleId, ...notify])).rowCount ?? 0) > 0;
  if (deleted) wakeUps.emit("pause-rules", ruleId);
  return deleted;
}
