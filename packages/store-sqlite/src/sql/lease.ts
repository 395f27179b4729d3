import type { Lease } from "@zart/core";
import { isChildLease, updateChildFenced, updateFenced } from "../fencing.js";
import { NO_LEASE, type Orm } from "../rows.js";

/** Fenced: extends the lease (of the execution, or of the child when `childPosition` is set). */
export function renewLease(orm: Orm, lease: Lease, leaseMs: number, now: Date): void {
  const leaseExpiresAt = new Date(now.getTime() + leaseMs);
  if (isChildLease(lease)) updateChildFenced(orm, lease, { leaseExpiresAt });
  else updateFenced(orm, lease, {}, { leaseExpiresAt });
}

/** Fenced: gives the unit back without progress; an execution becomes due now, a child pending. */
export function releaseLease(orm: Orm, lease: Lease, now: Date): void {
  if (isChildLease(lease)) {
    updateChildFenced(orm, lease, { status: "pending", dueAt: now, leaseToken: null, leaseExpiresAt: null });
  } else {
    updateFenced(orm, lease, {}, { status: "pending", runAt: now, ...NO_LEASE });
  }
}
