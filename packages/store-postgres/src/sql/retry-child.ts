import type { ChildLease, RetryChildInput } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import { fencedBy, GIVE_UP_LEASE } from "./fragments.js";

/**
 * Parks a failed attempt of a parallel child: `pending` with the error and attempts recorded and
 * `ready_at = wake_at = wakeAt`, lease cleared. The generated `due_at` follows `ready_at`, so the
 * claim (`due_at <= now`) takes the child again only once its backoff has ended.
 *
 * Locking: a single-row UPDATE by primary key fenced by the child's token (see `renew-lease`).
 */
const retryChildSql = statement(
  "retry-child",
  (n) => `
  WITH parked AS (
    UPDATE ${n.steps} SET status = 'pending', error = $4::jsonb, attempts = $5, wake_at = $6,
      ready_at = $6, ${GIVE_UP_LEASE}
    WHERE execution_id = $1 AND position = $2 AND lease_token = $3
    RETURNING 1
  )
  SELECT count(*)::int AS fenced FROM parked`,
);

/** Fenced by the child's lease: parks its failed attempt until `input.wakeAt`. */
export async function retryChild(db: Database, lease: ChildLease, input: RetryChildInput): Promise<void> {
  const values = [
    lease.executionId,
    lease.childPosition,
    lease.token,
    JSON.stringify(input.error),
    input.attempts,
    input.wakeAt,
  ];
  await db.fenced(retryChildSql, values, fencedBy(lease));
}
