import type pg from "pg";
import type { Database } from "../db/database.js";
import { claimStatement } from "./claim-statement.js";

/**
 * The claim with concurrency limits (`ClaimRequest.concurrencyLimits`): the plain claim with its
 * execution CTEs replaced. `$6`/`$7` are the limited task names and their limits.
 *
 * - `held`: unexpired leases per concurrency group (`executions_concurrency_running_idx`);
 * - `ranked`: the due executions of the claimed tasks, minus those of groups already full, each
 *   numbered within its group in claim order (priority, then due time);
 * - `eligible`: those whose number still fits beside the held leases, the `$2` first in claim order;
 * - `execution_due` locks them (`SKIP LOCKED`, re-checked as due); `prioritized_due` is empty.
 *
 * The counts are only exact if no other claim leases an execution of the same groups between this
 * statement's snapshot and its commit: {@link claimLimited} runs it after taking a transaction-scoped
 * advisory lock that every limited claim of the schema takes, and it reads its snapshot after the
 * lock is granted (READ COMMITTED: a new snapshot per statement), so it sees every lease the
 * previous holder committed. Leases only ever grow through a claim; the releases that run
 * concurrently (complete, suspend, …) can only make the count too high, never too low.
 * Unlike the plain claim, `ranked` reads every due execution of the claimed tasks whose group is
 * not full (a scan of the due backlog, not an index range cut at the limit).
 */
export const claimLimitedSql = claimStatement(
  "claim-limited",
  (n) => `limits AS (
    SELECT * FROM unnest($6::text[], $7::int[]) AS l(task_name, lim)
  ), held AS (
    SELECT concurrency_key, count(*)::int AS n FROM ${n.executions}
    WHERE concurrency_key IS NOT NULL AND status = 'running' AND lease_expires_at > $1
    GROUP BY concurrency_key
  ), ranked AS (
    SELECT e.execution_id, e.due_at, coalesce(e.priority, 0) AS priority, e.concurrency_key, l.lim,
      row_number() OVER (
        PARTITION BY e.concurrency_key ORDER BY coalesce(e.priority, 0) DESC, e.due_at, e.execution_id
      ) AS rn
    FROM ${n.executions} e LEFT JOIN limits l ON l.task_name = e.task_name AND e.concurrency_key IS NOT NULL
    WHERE e.due_at <= $1 AND e.task_name = ANY($5::text[])
      AND NOT EXISTS (SELECT 1 FROM held h WHERE h.concurrency_key = e.concurrency_key AND h.n >= l.lim)
  ), eligible AS (
    SELECT r.execution_id FROM ranked r LEFT JOIN held h ON h.concurrency_key = r.concurrency_key
    WHERE r.lim IS NULL OR r.rn + coalesce(h.n, 0) <= r.lim
    ORDER BY r.priority DESC, r.due_at, r.execution_id
    LIMIT $2
  ), execution_due AS (
    SELECT e.execution_id, e.due_at, coalesce(e.priority, 0) AS priority, e.xmin::text AS locked_xmin,
      e.status = 'running' AS taken_over
    FROM ${n.executions} e
    WHERE e.execution_id IN (SELECT execution_id FROM eligible) AND e.due_at <= $1
    FOR UPDATE OF e SKIP LOCKED
  ), prioritized_due AS (
    SELECT * FROM execution_due WHERE false`,
);

/**
 * Runs {@link claimLimitedSql} with `params` (the plain claim's five, then the limits) under the
 * schema's limited-claim advisory lock, in one transaction.
 */
export function claimLimited<R extends pg.QueryResultRow>(
  db: Database,
  params: unknown[],
  limits: Readonly<Record<string, number>>,
): Promise<pg.QueryResult<R>> {
  const names = Object.keys(limits);
  return db.transaction(async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [
      `zart:${db.names.schema}:claim-limited`,
    ]);
    return client.query<R>(db.config(claimLimitedSql, [...params, names, names.map((name) => limits[name])]));
  });
}
