import { type ClaimedWork, type ClaimRequest, childLease, claimKeys, executionLease } from "@zart/core/store";
import pg from "pg";
import { type Database, statement } from "../db/database.js";
import {
  type ExecutionRow,
  type StepRow,
  toExecutionRecord,
  toStepRecord,
  toStepRecords,
} from "../db/rows.js";
import { claimKeyOf, claimStatement } from "../sql/claim-statement.js";
import { countStarts, deferOverRate } from "../sql/rate-windows.js";

/**
 * Claims up to `$limit` due units — executions and parallel children together — and returns each
 * with its history (an execution's whole history, a child's steps before its position), in ONE
 * statement (one round trip).
 *
 * Locking: `FOR UPDATE SKIP LOCKED` over the partial indexes on the generated `due_at` columns
 * (`executions_due_idx`, `steps_due_idx`), oldest first: concurrent claimers never wait for each
 * other and never get the same row; a row whose state changed after our snapshot (e.g. cancelled)
 * is re-checked on its newest version and dropped if no longer due. Each side locks at most
 * `$limit` rows and the merged list keeps the `$limit` oldest, so a batch briefly holds at most
 * `$limit` extra row locks, released at the end of the statement; a claimer that skips them only
 * takes the next due rows. Children are locked alone (`FOR UPDATE OF s`): the parent row is read
 * (not locked) to exclude children of terminal executions. Each claimed row gets a fresh random
 * fencing token.
 *
 * Priorities: executions without one (NULL, the default) are read as before from
 * `executions_due_idx`; those with one from their own partial index `executions_priority_due_idx`
 * (empty unless priorities are used, so the unprioritized claim costs what it did), higher first.
 * Children rank as priority 0. The merge keeps the `$2` best by (priority desc, due time).
 *
 * Task names and versions (`$5`, the request's `claimKeys`, one array parameter so the statement
 * stays prepared): only executions whose claim key (`claimKeyOf`: the task name, and the version
 * when there is one) is listed, and children whose parent's is, are claimed. The test is part of each
 * side's scan filter, below its row locking, so a row of another task is skipped, never locked:
 * due rows of other tasks ahead of ours lengthen the index scan but never take our `$2` slots.
 *
 * History: `json_agg` of the steps as of the statement's snapshot (for a child, only those before
 * its position). The snapshot predates our row locks: if the previous holder of an expired lease
 * committed a write (a step) after it was taken but before we locked the execution, the snapshot
 * misses that step; likewise an offer that answered a wait meanwhile. Both are detected (`stale`),
 * and the history of such an execution is read again by a second statement:
 * - any write that made a new version of the execution row (an offer, a patch): `FOR UPDATE`
 *   returns the newest version, so its `xmin` differs from the snapshot's;
 * - a step write by the previous holder only locks the row (see `coalesced-writes`), which changes
 *   no `xmin`; only a takeover can race that way (a pending or waiting execution has no holder
 *   that could write), so every execution taken over from a running holder (the newest version
 *   is still `running`) counts as stale. Takeovers follow crashes and are rare.
 * That second read is complete: we hold the lease by then, so the old holder can no longer write.
 *
 * `claimStatement` (claim-statement.ts) builds it around `executionCtes`: CTEs named `execution_due` and `prioritized_due`
 * that select and lock the due executions (`execution_id, due_at, priority, locked_xmin,
 * taken_over`, at most `$2` each); see `claimSql` for the plain ones and `claimLimitedSql`.
 */
export const claimSql = claimStatement(
  "claim",
  (n) => `execution_due AS (
    SELECT execution_id, due_at, 0 AS priority, xmin::text AS locked_xmin, status = 'running' AS taken_over
    FROM ${n.executions}
    WHERE due_at <= $1 AND priority IS NULL AND ${claimKeyOf()} = ANY($5::text[])
    ORDER BY due_at, execution_id
    LIMIT $2
    FOR UPDATE SKIP LOCKED
  ), prioritized_due AS (
    SELECT execution_id, due_at, priority, xmin::text AS locked_xmin, status = 'running' AS taken_over
    FROM ${n.executions}
    WHERE priority IS NOT NULL AND due_at <= $1 AND ${claimKeyOf()} = ANY($5::text[])
    ORDER BY priority DESC, due_at, execution_id
    LIMIT $2
    FOR UPDATE SKIP LOCKED`,
);

interface ClaimRow {
  execution: ExecutionRow;
  child: StepRow | null;
  steps: StepRow[] | null;
  /** Taken over from a running holder: `steps` may miss a write it committed after our snapshot. */
  stale: boolean;
}

/** The histories of executions we hold the lease of (see "History" above). */
const historySql = statement(
  "claim-history",
  (n) => `
  SELECT execution_id, json_agg(s ORDER BY s.position) AS steps FROM ${n.steps} s
  WHERE execution_id = ANY($1::text[])
  GROUP BY execution_id`,
);

/**
 * The claim with concurrency limits (`ClaimRequest.concurrencyLimits`): the plain claim with its
 * execution CTEs replaced. `$6`/`$7` are the limited task names and their limits. Only executions
 * of a limited task that have a key (the "limited" ones) are counted and ranked; every other due
 * execution is found by the plain claim's index range scans (`free_due`, `prioritized_due`), so a
 * limited task registered beside unlimited ones costs those nothing but the advisory lock.
 *
 * - `held`: unexpired leases per concurrency group (`executions_concurrency_running_idx`);
 * - `ranked`: the due limited executions of the claimed tasks, minus those of groups already full,
 *   each numbered within its group in claim order (priority, then due time);
 * - `eligible`: those whose number still fits beside the held leases, the `$2` first in claim order;
 * - `limited_due` locks them (`SKIP LOCKED`, re-checked as due); `free_due` and `prioritized_due`
 *   lock the `$2` first unlimited ones as the plain claim does; `chosen` keeps the `$2` first of all.
 *
 * The counts are only exact if no other claim leases an execution of the same groups between this
 * statement's snapshot and its commit: {@link claimLimited} runs it after taking a transaction-scoped
 * advisory lock that every limited claim of the schema takes, and it reads its snapshot after the
 * lock is granted (READ COMMITTED: a new snapshot per statement), so it sees every lease the
 * previous holder committed. Leases only ever grow through a claim; the releases that run
 * concurrently (complete, suspend, …) can only make the count too high, never too low.
 * `ranked` reads every due limited execution of the claimed tasks whose group is not full (a scan
 * of the limited backlog, not an index range cut at the limit).
 */
const claimLimitedSql = claimStatement("claim-limited", (n) => {
  const unlimited = "(concurrency_key IS NULL OR task_name <> ALL($6::text[]))";
  const lockColumns = "xmin::text AS locked_xmin, status = 'running' AS taken_over";
  return `limits AS (
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
    FROM ${n.executions} e JOIN limits l ON l.task_name = e.task_name
    WHERE e.concurrency_key IS NOT NULL AND e.due_at <= $1 AND ${claimKeyOf("e")} = ANY($5::text[])
      AND NOT EXISTS (SELECT 1 FROM held h WHERE h.concurrency_key = e.concurrency_key AND h.n >= l.lim)
  ), eligible AS (
    SELECT r.execution_id FROM ranked r LEFT JOIN held h ON h.concurrency_key = r.concurrency_key
    WHERE r.rn + coalesce(h.n, 0) <= r.lim
    ORDER BY r.priority DESC, r.due_at, r.execution_id
    LIMIT $2
  ), limited_due AS (
    SELECT execution_id, due_at, coalesce(priority, 0) AS priority, ${lockColumns}
    FROM ${n.executions}
    WHERE execution_id IN (SELECT execution_id FROM eligible) AND due_at <= $1
    FOR UPDATE SKIP LOCKED
  ), free_due AS (
    SELECT execution_id, due_at, 0 AS priority, ${lockColumns}
    FROM ${n.executions}
    WHERE due_at <= $1 AND priority IS NULL AND ${claimKeyOf()} = ANY($5::text[]) AND ${unlimited}
    ORDER BY due_at, execution_id
    LIMIT $2
    FOR UPDATE SKIP LOCKED
  ), execution_due AS (
    SELECT * FROM limited_due UNION ALL SELECT * FROM free_due
  ), prioritized_due AS (
    SELECT execution_id, due_at, priority, ${lockColumns}
    FROM ${n.executions}
    WHERE priority IS NOT NULL AND due_at <= $1 AND ${claimKeyOf()} = ANY($5::text[]) AND ${unlimited}
    ORDER BY priority DESC, due_at, execution_id
    LIMIT $2
    FOR UPDATE SKIP LOCKED`;
});

/**
 * The claim with concurrency and/or rate limits, under the schema's limited-claim advisory lock, in
 * one transaction: {@link claimLimitedSql} with `params` (the plain claim's five, then the
 * concurrency limits) or the plain claim; with rate limits, `deferOverRate` first (deferring the
 * first starts their windows have no room for) and `countStarts` after (counting the first starts
 * claimed), so every rate-limited claim counts under the same lock.
 */
function claimLimited(
  db: Database,
  params: unknown[],
  request: ClaimRequest,
): Promise<pg.QueryResult<ClaimRow>> {
  const limits = request.concurrencyLimits;
  const names = Object.keys(limits ?? {});
  // BEGIN and the lock in one round trip (a simple query of two statements, the key as a literal).
  const lockKey = pg.escapeLiteral(`zart:${db.names.schema}:claim-limited`);
  const begin = `BEGIN; SELECT pg_advisory_xact_lock(hashtext(${lockKey}))`;
  return db.transaction(async (client) => {
    const budget = request.rateLimits && (await deferOverRate(db, client, request, params[4] as string[]));
    const result = await client.query<ClaimRow>(
      limits
        ? db.config(claimLimitedSql, [...params, names, names.map((name) => limits[name])])
        : db.config(claimSql, params),
    );
    if (budget && budget.size > 0) {
      const claimed = result.rows
        .filter((row) => row.child === null)
        .map((row) => row.execution.execution_id);
      await countStarts(db, client, claimed, budget, request.now);
    }
    return result;
  }, begin);
}

/** Claims up to `request.limit` due units, higher priority then oldest due time first, each exactly once. */
export async function claim(db: Database, request: ClaimRequest): Promise<ClaimedWork[]> {
  const keys = claimKeys(request);
  if (request.limit < 1 || keys.length === 0) return [];
  const expiresAt = new Date(request.now.getTime() + request.leaseMs);
  const params = [request.now, Math.floor(request.limit), request.workerId, expiresAt, keys];
  const { rows } =
    request.concurrencyLimits || request.rateLimits
      ? await claimLimited(db, params, request)
      : await db.run<ClaimRow>(claimSql, params);
  const stale = rows.filter((row) => row.stale).map((row) => row.execution.execution_id);
  if (stale.length > 0) {
    const fresh = await db.run<{ execution_id: string; steps: StepRow[] }>(historySql, [stale]);
    const byId = new Map(fresh.rows.map((row) => [row.execution_id, row.steps]));
    for (const row of rows) if (row.stale) row.steps = byId.get(row.execution.execution_id) ?? null;
  }
  return rows.map(toClaimedWork);
}

function toClaimedWork(row: ClaimRow): ClaimedWork {
  const execution = toExecutionRecord(row.execution);
  const executionId = execution.executionId;
  if (row.child === null) {
    return {
      kind: "execution",
      lease: executionLease(executionId, row.execution.lease_token!, row.execution.parent_id ?? undefined),
      execution,
      steps: toStepRecords(row.steps),
    };
  }
  const child = toStepRecord(row.child);
  return {
    kind: "child",
    lease: childLease(executionId, row.child.lease_token!, child.position),
    execution,
    steps: toStepRecords(row.steps),
    child,
  };
}
