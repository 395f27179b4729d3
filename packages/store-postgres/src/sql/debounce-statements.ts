import { statement } from "../db/database.js";

/*
 * The statements of `debounceExecution`, run in one transaction.
 *
 * Locking: `holdDebounceSql` upserts the (task, key) row first and so takes its row lock (an
 * insert waits on a racing insert's unique-index entry, then updates the committed row): racing
 * starts of one key serialize on it for the rest of the transaction. `touchHolderSql` then
 * updates the holder only while it is unclaimed; a claim holding the row lock makes it wait and
 * re-check the row (READ COMMITTED), so it sees `started_at` set and creates a new execution
 * instead, and a claim arriving later skips the row while it is locked (SKIP LOCKED).
 */

/** Locks the slot, inserting an empty one (`run` 0: no holder) when absent; returns the holder. */
export const holdDebounceSql = statement(
  "debounce-hold",
  (n) => `
  INSERT INTO ${n.debounces} AS d (task_name, debounce_key, execution_id, run, starts)
  VALUES ($1, $2, '', 0, 0)
  ON CONFLICT (task_name, debounce_key) DO UPDATE SET starts = d.starts
  RETURNING d.execution_id, d.run`,
);

/** The holder's new input and due time (capped at `created_at + $7` ms), if still unclaimed. */
export const touchHolderSql = statement(
  "debounce-touch",
  (n) => `
  UPDATE ${n.executions} SET payload = $3, priority = $4::int, concurrency_key = $5::text, rate_key = $8::text,
    run_at = CASE WHEN $7::bigint IS NULL THEN $6::timestamptz
      ELSE least($6::timestamptz, created_at + $7::bigint * interval '1 millisecond') END
  WHERE execution_id = $1 AND coalesce(run, 1) = $2 AND status = 'pending' AND started_at IS NULL
  RETURNING *`,
);

/** Counts a start collapsed into the holder. */
export const countDebounceSql = statement(
  "debounce-count",
  (n) => `
  UPDATE ${n.debounces} SET starts = starts + 1 WHERE task_name = $1 AND debounce_key = $2
  RETURNING starts`,
);

/** Makes a new execution run the holder. */
export const setHolderSql = statement(
  "debounce-set",
  (n) => `
  UPDATE ${n.debounces} SET execution_id = $3, run = $4, starts = 1
  WHERE task_name = $1 AND debounce_key = $2`,
);
