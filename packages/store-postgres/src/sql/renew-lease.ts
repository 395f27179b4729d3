import type { Lease } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import { updatedBy } from "./fragments.js";

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
