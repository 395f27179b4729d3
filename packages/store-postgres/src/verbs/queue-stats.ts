import type { PendingCounts, PendingCountsQuery, QueueCount } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";

/**
 * Running, due and delayed executions per concurrency key (per task without one; `due_at` is the
 * wake time of a pending or waiting row, the lease expiry of a running one): one statement
 * over the live rows (`executions_status_created_idx` leads with the status).
 */
const queueStatsSql = statement(
  "queue-stats",
  (n) => `SELECT concurrency_key, CASE WHEN concurrency_key IS NULL THEN task_name END AS task_name,
    count(*) FILTER (WHERE status = 'running' AND lease_expires_at > $1)::int AS running,
    count(*) FILTER (WHERE due_at <= $1)::int AS due,
    count(*) FILTER (WHERE status = 'pending' AND run_at > $1)::int AS delayed,
    coalesce(max(coalesce(priority, 0)) FILTER (WHERE due_at <= $1), 0)::int
      AS top_due_priority
  FROM ${n.executions}
  WHERE status IN ('pending', 'waiting', 'running')
  GROUP BY 1, 2
  HAVING count(*) FILTER (WHERE (status = 'running' AND lease_expires_at > $1)
    OR due_at <= $1 OR (status = 'pending' AND run_at > $1)) > 0`,
);

interface QueueStatsRow {
  concurrency_key: string | null;
  task_name: string | null;
  running: number;
  due: number;
  delayed: number;
  top_due_priority: number;
}

export async function queueStats(db: Database, now: Date): Promise<QueueCount[]> {
  const { rows } = await db.run<QueueStatsRow>(queueStatsSql, [now]);
  return rows.map((row) => ({
    ...(row.concurrency_key === null
      ? { taskName: row.task_name ?? "" }
      : { concurrencyKey: row.concurrency_key }),
    running: row.running,
    due: row.due,
    delayed: row.delayed,
    topDuePriority: row.top_due_priority,
  }));
}

/**
 * One group's unexpired leases (`executions_concurrency_running_idx`) and the top priority of due
 * work (`executions_priority_due_idx`, highest first: the first due entry; unprioritized rows
 * count as 0), in one statement: a consistent snapshot. `$2` NULL: no group, 0 leases.
 */
const pendingCountsSql = statement(
  "pending-counts",
  (n) => `SELECT
    (SELECT count(*)::int FROM ${n.executions}
      WHERE concurrency_key = $2 AND status = 'running' AND lease_expires_at > $1) AS running,
    coalesce((SELECT max(priority) FROM ${n.executions} WHERE due_at <= $1), 0)::int AS top_due_priority`,
);

export async function pendingCounts(
  db: Database,
  query: PendingCountsQuery,
  now: Date,
): Promise<PendingCounts> {
  const { rows } = await db.run<{ running: number; top_due_priority: number }>(pendingCountsSql, [
    now,
    query.concurrencyKey ?? null,
  ]);
  const row = rows[0] as { running: number; top_due_priority: number };
  return { running: row.running, topDuePriority: row.top_due_priority };
}
