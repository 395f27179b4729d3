import type { PendingCounts, PendingCountsQuery, QueueCount } from "@zart/core/store";
import { and, gt, inArray, lte, or, type SQL, sql } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { preparedPerConnection, prepareSql } from "../db/prepared.js";
import { executions } from "../db/schema.js";

const now = sql`${sql.placeholder("now")}`;
const running = and(sql`${executions.status} = 'running'`, gt(executions.leaseExpiresAt, now)) as SQL;
/** Claimable and not held: due to wake, or running with an expired lease. */
const due = or(
  and(inArray(executions.status, ["pending", "waiting"]), lte(executions.runAt, now)),
  and(sql`${executions.status} = 'running'`, lte(executions.leaseExpiresAt, now)),
) as SQL;
const delayed = and(sql`${executions.status} = 'pending'`, gt(executions.runAt, now)) as SQL;
/** The task, for executions without a concurrency key only (they are grouped per task). */
const taskOfUnlimited = sql<
  string | null
>`CASE WHEN ${executions.concurrencyKey} IS NULL THEN ${executions.taskName} END`;

/**
 * One group's unexpired leases (`zart_executions_concurrency_idx`) and the top priority of due
 * work (the prioritized rows only: `zart_executions_priority_due_idx` / `_priority_lease_idx`;
 * unprioritized ones count as 0). A NULL key matches no row.
 */
const PENDING_COUNTS = sql`SELECT
  (SELECT count(*) FROM ${executions} WHERE concurrency_key = ${sql.placeholder("key")}
    AND status = 'running' AND lease_expires_at > ${now}) AS running,
  max(
    coalesce((SELECT max(priority) FROM ${executions} WHERE priority IS NOT NULL
      AND status IN ('pending', 'waiting') AND run_at <= ${now}), 0),
    coalesce((SELECT max(priority) FROM ${executions} WHERE priority IS NOT NULL
      AND status = 'running' AND lease_expires_at <= ${now}), 0)
  ) AS topDuePriority`;

const statements = preparedPerConnection((orm) => ({
  // The live executions only (`zart_executions_due_idx` / `_lease_idx` lead with the status).
  stats: orm
    .select({
      concurrencyKey: executions.concurrencyKey,
      taskName: taskOfUnlimited,
      running: sql<number>`sum(${running})`,
      due: sql<number>`sum(${due})`,
      delayed: sql<number>`sum(${delayed})`,
      topDuePriority: sql<number>`max(CASE WHEN ${due} THEN coalesce(${executions.priority}, 0) ELSE 0 END)`,
    })
    .from(executions)
    .where(inArray(executions.status, ["pending", "waiting", "running"]))
    .groupBy(executions.concurrencyKey, taskOfUnlimited)
    .having(sql`sum(${running}) + sum(${due}) + sum(${delayed}) > 0`)
    .prepare(),
  pending: prepareSql<PendingCounts>(orm, PENDING_COUNTS),
}));

/** Running, due and delayed executions per concurrency key (or task), in one read transaction. */
export async function queueStats(ctx: SqliteContext, at: Date): Promise<QueueCount[]> {
  const { orm } = ctx;
  return ctx.read(() =>
    statements(orm)
      .stats.all({ now: at.getTime() })
      .map((row) => ({
        ...(row.concurrencyKey === null
          ? { taskName: row.taskName ?? "" }
          : { concurrencyKey: row.concurrencyKey }),
        running: row.running,
        due: row.due,
        delayed: row.delayed,
        topDuePriority: row.topDuePriority,
      })),
  );
}

/** `Scheduler.pendingCounts`, in one read transaction. */
export async function pendingCounts(
  ctx: SqliteContext,
  query: PendingCountsQuery,
  at: Date,
): Promise<PendingCounts> {
  const { orm } = ctx;
  return ctx.read(() => {
    const [row] = statements(orm).pending.all({ now: at.getTime(), key: query.concurrencyKey ?? null });
    return row as PendingCounts;
  });
}
