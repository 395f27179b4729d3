import type { ClaimRequest } from "@zart/core/store";
import { rateWindow } from "@zart/core/store";
import type pg from "pg";
import { type Database, statement } from "../db/database.js";
import { claimKeyOf } from "./claim-statement.js";

/** A due first start the rate-limited claim may take: its key and window. */
export interface RateBudget {
  key: string;
  windowStart: Date;
  windowEnd: Date;
}

/**
 * The rate-limited claim's first statement. `$2`…`$5`: the limited task names, their limits and
 * their current windows (start, end). Numbers the due first starts (`pending`, `started_at IS NULL`)
 * of each rate key in claim order; those past the window's room (`rate_windows.count`) are deferred
 * to the window's end (`run_at`, `rate_limited_until`), the others returned: the claim that follows
 * can take at most the room of each key. Runs under the limited-claim advisory lock, like the
 * count of starts after the claim, so the counts are exact.
 */
const deferSql = statement(
  "claim-rate-defer",
  (n) => `
  WITH limits AS (
    SELECT * FROM unnest($2::text[], $3::int[], $4::timestamptz[], $5::timestamptz[])
      AS l(task_name, lim, window_start, window_end)
  ), candidates AS (
    SELECT e.execution_id, e.rate_key, l.lim, l.window_start, l.window_end,
      row_number() OVER (
        PARTITION BY e.rate_key ORDER BY coalesce(e.priority, 0) DESC, e.due_at, e.execution_id
      ) AS rn
    FROM ${n.executions} e JOIN limits l ON l.task_name = e.task_name
    WHERE e.rate_key IS NOT NULL AND e.status = 'pending' AND e.started_at IS NULL AND e.due_at <= $1
      AND ${claimKeyOf("e")} = ANY($6::text[])
  ), counted AS (
    SELECT c.*, c.rn + coalesce(w.count, 0) > c.lim AS over FROM candidates c
    LEFT JOIN ${n.rateWindows} w ON w.key = c.rate_key AND w.window_start = c.window_start
  ), deferred AS (
    UPDATE ${n.executions} e SET run_at = c.window_end, rate_limited_until = c.window_end
    FROM counted c WHERE c.over AND e.execution_id = c.execution_id
  )
  SELECT execution_id, rate_key, window_start, window_end FROM counted WHERE NOT over`,
);

/** Adds the starts a claim made to their windows, and drops windows that have ended. */
const countSql = statement(
  "claim-rate-count",
  (n) => `
  WITH gone AS (
    DELETE FROM ${n.rateWindows} WHERE window_end <= $1
  )
  INSERT INTO ${n.rateWindows} AS w (key, window_start, window_end, count)
  SELECT * FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[])
  ON CONFLICT (key, window_start) DO UPDATE SET count = w.count + excluded.count`,
);

/**
 * Defers the due first starts of `request.rateLimits` that do not fit their windows; returns the
 * ones that do, by execution id. `client` holds the limited-claim lock.
 */
export async function deferOverRate(
  db: Database,
  client: pg.PoolClient,
  request: ClaimRequest,
  claimKeys: string[],
): Promise<Map<string, RateBudget>> {
  const limits = request.rateLimits ?? {};
  const names = Object.keys(limits);
  const now = request.now.getTime();
  const windows = names.map((name) => rateWindow(now, (limits[name] as { periodMs: number }).periodMs));
  const { rows } = await client.query<{
    execution_id: string;
    rate_key: string;
    window_start: Date;
    window_end: Date;
  }>(
    db.config(deferSql, [
      request.now,
      names,
      names.map((name) => limits[name]?.limit),
      windows.map((window) => new Date(window.start)),
      windows.map((window) => new Date(window.end)),
      claimKeys,
    ]),
  );
  return new Map(
    rows.map((row) => [
      row.execution_id,
      { key: row.rate_key, windowStart: row.window_start, windowEnd: row.window_end },
    ]),
  );
}

/** Counts the claimed executions found in `budget` (first starts) in their windows. */
export async function countStarts(
  db: Database,
  client: pg.PoolClient,
  claimedIds: readonly string[],
  budget: ReadonlyMap<string, RateBudget>,
  now: Date,
): Promise<void> {
  const counts = new Map<string, RateBudget & { count: number }>();
  for (const id of claimedIds) {
    const started = budget.get(id);
    if (started === undefined) continue;
    const slot = `${started.windowStart.getTime()}\n${started.key}`;
    const entry = counts.get(slot) ?? { ...started, count: 0 };
    entry.count++;
    counts.set(slot, entry);
  }
  if (counts.size === 0) return;
  const entries = [...counts.values()];
  await client.query(
    db.config(countSql, [
      now,
      entries.map((entry) => entry.key),
      entries.map((entry) => entry.windowStart),
      entries.map((entry) => entry.windowEnd),
      entries.map((entry) => entry.count),
    ]),
  );
}
