import type { Lease } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import { fencedBy, GIVE_UP_LEASE, updatedBy } from "../sql/fragments.js";
import type { WakeUps } from "../wake-ups/wake-ups.js";

/**
 * Heartbeat: extends the lease of an execution (or of a child) to `now + leaseMs`.
 *
 * Locking: a single-row UPDATE by primary key `WHERE lease_token = $token`; the row lock and the
 * re-check on the newest row version fence off a holder whose lease was taken over. It touches
 * only its own row (the child's row for a child), so it cannot deadlock with anything.
 */
const renewExecutionSql = statement(
  "renew-execution",
  (n) => `
  UPDATE ${n.executions} SET lease_expires_at = $3
  WHERE execution_id = $1 AND lease_token = $2`,
);

const renewChildSql = statement(
  "renew-child",
  (n) => `
  UPDATE ${n.steps} SET lease_expires_at = $4
  WHERE execution_id = $1 AND position = $2 AND lease_token = $3`,
);

/** Fenced: extends the lease to `now + leaseMs`. Idempotent, so it is retried through faults. */
export async function renewLease(db: Database, lease: Lease, leaseMs: number, now: Date): Promise<void> {
  const expiresAt = new Date(now.getTime() + leaseMs);
  if (lease.kind === "child") {
    const values = [lease.executionId, lease.childPosition, lease.token, expiresAt];
    await db.fenced(renewChildSql, values, updatedBy(lease));
  } else {
    await db.fenced(renewExecutionSql, [lease.executionId, lease.token, expiresAt], updatedBy(lease));
  }
}

/**
 * Gives a unit back without progress (graceful stop): the execution becomes pending and due now,
 * a child pending again; the lease is cleared and a `released` NOTIFY sent at commit.
 *
 * Locking: a single-row UPDATE by primary key fenced by the token (see `renewLease`).
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

/** Fenced: releases the lease of an execution or a child. */
export async function releaseLease(db: Database, wakeUps: WakeUps, lease: Lease, now: Date): Promise<void> {
  const notify = wakeUps.notice("released", lease.executionId);
  if (lease.kind === "child") {
    const values = [lease.executionId, lease.childPosition, lease.token, now, ...notify];
    await db.fenced(releaseChildSql, values, fencedBy(lease));
  } else {
    await db.fenced(releaseExecutionSql, [lease.executionId, lease.token, now, ...notify], fencedBy(lease));
  }
  wakeUps.emit("released", lease.executionId);
}
