import type { Lease, SerializedError } from "@zart/core";
import { and, eq, notExists } from "drizzle-orm";
import { updateChildFenced } from "../fencing.js";
import { dueNow, type Orm } from "../rows.js";
import { executions, steps } from "../schema.js";
import { unsettledChildOf } from "./dispatch-children.js";

/** A child's outcome as `Scheduler.settleChild` receives it. */
export interface ChildOutcome {
  status: "completed" | "failed";
  result?: string;
  error?: SerializedError;
  attempts: number;
}

/**
 * Fenced by the child's lease: records its outcome and clears its lease; if no child of the parent
 * is left unsettled and the parent waits on its children, makes the parent due now. Returns whether
 * it woke the parent.
 *
 * Locking: one `BEGIN IMMEDIATE` transaction (the caller's). The parent is woken by a single
 * conditional `UPDATE … WHERE status = 'waiting' AND wait_reason = 'children' AND NOT EXISTS
 * (unsettled child)`; settles are serialized by SQLite's write lock, so only the settle that
 * leaves no unsettled child sees the condition true, and after it the parent no longer waits on
 * children: exactly one settle wakes the parent.
 */
export function settleChild(
  orm: Orm,
  lease: Lease & { childPosition: number },
  outcome: ChildOutcome,
  now: Date,
): boolean {
  updateChildFenced(orm, lease, {
    status: outcome.status,
    result: outcome.result ?? null,
    error: outcome.error ?? null,
    attempts: outcome.attempts,
    wakeAt: null,
    completedAt: now,
    leaseToken: null,
    leaseExpiresAt: null,
    dueAt: null,
  });
  const { changes } = orm
    .update(executions)
    .set(dueNow(now))
    .where(
      and(
        eq(executions.executionId, lease.executionId),
        eq(executions.status, "waiting"),
        eq(executions.waitReason, "children"),
        notExists(
          orm.select({ position: steps.position }).from(steps).where(unsettledChildOf(lease.executionId)),
        ),
      ),
    )
    .run();
  return changes > 0;
}
