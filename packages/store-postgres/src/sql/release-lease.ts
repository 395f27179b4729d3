import type { Lease } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import { fencedBy, GIVE_UP_LEASE } from "./fragments.js";

/**
 * Gives a unit back without progress (graceful stop): the execution becomes pending and due now,
 * a child pending again; the lease is cleared and a `released` NOTIFY sent at commit.
 *
 * Locking: a single-row UPDATE by primary key fenced by the token (see `renew-lease`).
 */
const releaseExecutionSql = statement(
  "release-execution",
  (n) => `
  WITH released AS (
    UPDATE ${n.executions} SET status = 'pending', run_at = $3, ${GIVE_UP_LEASE}
    WHERE execution_id = $1 AND lease_token = $2
    RETURNING 1
  )
  SELECT count(*)::int AS fenced, CASE WHEN count(*) > 0 THEN pg_notify($4, $5) END AS notified
  FROM released`,
);

const releaseChildSql = statement(
  "release-child",
  (n) => `
  WITH released AS (
    UPDATE ${n.steps} SET status = 'pending', ready_at = $4, ${GIVE_UP_LEASE}
    WHERE execution_id = $1 AND position = $2 AND lease_token = $3
    RETURNING 1
  )
  SELECT count(*)::int AS fenced, CASE WHEN count(*) > 0 THEN pg_notify($5, $6) END AS notified
  FROM released`,
);

/** Fenced: releases the lease of an execution or a child. `notify` = [channel, payload]. */
export async function releaseLease(
  db: Database,
  lease: Lease,
  now: Date,
  notify: [string, string],
): Promise<void> {
  if (lease.kind === "child") {
    const values = [lease.executionId, lease.childPosition, lease.token, now, ...notify];
    await db.fenced(releaseChildSql, values, fencedBy(lease));
  } else {
    await db.fenced(releaseExecutionSql, [lease.executionId, lease.token, now, ...notify], fencedBy(lease));
  }
}
