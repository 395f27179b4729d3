import { type ClaimRequest, rateWindow } from "@zart/core/store";
import { preparedPerConnection } from "./prepared.js";
import type { Orm } from "./rows.js";

/** A due first start the rate-limited claim may take: its key and window. */
interface RateBudget {
  key: string;
  start: number;
  end: number;
}

const statements = preparedPerConnection((orm) => {
  const db = orm.$client;
  return {
    // Due first starts of the rate-limited tasks, in claim order.
    candidates: db.prepare<[number, string, string], { id: string; taskName: string; rateKey: string }>(`
      SELECT execution_id AS id, task_name AS taskName, rate_key AS rateKey FROM zart_executions
       WHERE status = 'pending' AND started_at IS NULL AND rate_key IS NOT NULL AND run_at <= ?
         AND task_name IN (SELECT value FROM json_each(?))
         AND coalesce(task_name || char(10) || version, task_name) IN (SELECT value FROM json_each(?))
       ORDER BY coalesce(priority, 0) DESC, run_at, created_at, execution_id`),
    counted: db.prepare<[string, number], { count: number }>(
      "SELECT count FROM zart_rate_windows WHERE key = ? AND window_start = ?",
    ),
    defer: db.prepare<[number, number, string]>(
      "UPDATE zart_executions SET run_at = ?, rate_limited_until = ? WHERE execution_id = ?",
    ),
    count: db.prepare<[string, number, number, number]>(`
      INSERT INTO zart_rate_windows (key, window_start, window_end, count) VALUES (?, ?, ?, ?)
      ON CONFLICT (key, window_start) DO UPDATE SET count = count + excluded.count`),
    gone: db.prepare<[number]>("DELETE FROM zart_rate_windows WHERE window_end <= ?"),
  };
});

/**
 * Numbers the due first starts (`pending`, `started_at IS NULL`) of each rate key of
 * `request.rateLimits` in claim order and defers those past their window's room to the window's
 * end (`run_at`, `rate_limited_until`); returns the others by id. Runs in the claim's `BEGIN
 * IMMEDIATE` transaction, like {@link countStarts}, so the counts are exact.
 */
export function deferOverRate(orm: Orm, request: ClaimRequest, claimKeys: string[]): Map<string, RateBudget> {
  const prepared = statements(orm);
  const limits = request.rateLimits ?? {};
  const now = request.now.getTime();
  const rows = prepared.candidates.all(now, JSON.stringify(Object.keys(limits)), JSON.stringify(claimKeys));
  const seen = new Map<string, number>();
  const budget = new Map<string, RateBudget>();
  for (const row of rows) {
    const rate = limits[row.taskName];
    if (rate === undefined) continue;
    const { start, end } = rateWindow(now, rate.periodMs);
    const slot = `${start}\n${row.rateKey}`;
    const used = seen.get(slot) ?? prepared.counted.get(row.rateKey, start)?.count ?? 0;
    if (used >= rate.limit) {
      prepared.defer.run(end, end, row.id);
    } else {
      seen.set(slot, used + 1);
      budget.set(row.id, { key: row.rateKey, start, end });
    }
    if (!seen.has(slot)) seen.set(slot, used);
  }
  return budget;
}

/**
 * Counts one token in `request.key`'s window at `now` if it holds fewer than `limit` (`ctx.gate`);
 * else answers the window's end. Runs in the caller's write transaction.
 */
export function takeToken(
  orm: Orm,
  request: { key: string; limit: number; periodMs: number },
  now: number,
): number | undefined {
  const prepared = statements(orm);
  const { start, end } = rateWindow(now, request.periodMs);
  const used = prepared.counted.get(request.key, start)?.count ?? 0;
  if (used >= request.limit) return end;
  prepared.count.run(request.key, start, end, 1);
  prepared.gone.run(now);
  return undefined;
}

/** Counts the claimed units found in `budget` (first starts) in their windows; drops ended windows. */
export function countStarts(
  orm: Orm,
  claimed: readonly { executionId: string; position: number }[],
  budget: ReadonlyMap<string, RateBudget>,
  now: number,
): void {
  const prepared = statements(orm);
  let counted = false;
  for (const { executionId, position } of claimed) {
    const started = position < 0 ? budget.get(executionId) : undefined;
    if (started === undefined) continue;
    prepared.count.run(started.key, started.start, started.end, 1);
    counted = true;
  }
  if (counted) prepared.gone.run(now);
}
