import { type RateTokenOutcome, type RateTokenRequest, rateWindow } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";

/**
 * One statement: inserts the window's row with count 1, or adds one to it only while it is below
 * the limit (`$4`); no row returned = the window is full. The upsert's row lock serializes racing
 * takers of one window, so the count is exact. Ended windows are deleted on the way.
 */
const takeSql = statement(
  "take-rate-token",
  (n) => `
  WITH gone AS (
    DELETE FROM ${n.rateWindows} WHERE window_end <= $5
  )
  INSERT INTO ${n.rateWindows} AS w (key, window_start, window_end, count) VALUES ($1, $2, $3, 1)
  ON CONFLICT (key, window_start) DO UPDATE SET count = w.count + 1 WHERE w.count < $4
  RETURNING count`,
);

/** Counts one token in the key's current window if it has room. */
export async function takeRateToken(
  db: Database,
  request: RateTokenRequest,
  now: Date,
): Promise<RateTokenOutcome> {
  const { start, end } = rateWindow(now.getTime(), request.periodMs);
  const { rows } = await db.run(takeSql, [request.key, new Date(start), new Date(end), request.limit, now]);
  return rows.length > 0 ? { taken: true } : { taken: false, retryAt: new Date(end) };
}
