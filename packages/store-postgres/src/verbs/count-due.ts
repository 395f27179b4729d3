import type { DueCount } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";

/**
 * The backlog by task: a range scan of `executions_due_idx` (`due_at <= now`, where `due_at` is
 * `run_at` for pending and waiting rows and the lease expiry for running ones, which are left out).
 */
const countDueSql = statement(
  "count-due",
  (n) => `SELECT task_name, count(*)::int AS due, min(due_at) AS oldest_due_at FROM ${n.executions}
  WHERE due_at <= $1 AND status IN ('pending', 'waiting')
  GROUP BY task_name`,
);

export async function countDue(db: Database, now: Date): Promise<DueCount[]> {
  const { rows } = await db.run<{ task_name: string; due: number; oldest_due_at: Date }>(countDueSql, [now]);
  return rows.map((row) => ({ taskName: row.task_name, due: row.due, oldestDueAt: row.oldest_due_at }));
}
