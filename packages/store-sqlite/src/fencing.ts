import { type ExecutionPatch, type Lease, LeaseLostError } from "@zart/core";
import { and, eq } from "drizzle-orm";
import type { SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { type Orm, patchValues } from "./rows.js";
import { executions, steps } from "./schema.js";

/**
 * Fencing is one conditional `UPDATE … WHERE lease_token = ?` run first in a verb's transaction:
 * zero rows changed means the token no longer matches (taken over after expiry, cancelled,
 * released, finished, or the execution is gone) → `LeaseLostError`, and the transaction rolls back
 * with nothing written. An expired lease that nobody took over still matches.
 */

/** Fenced: applies `patch` and `set` to the execution `lease` holds, or throws `LeaseLostError`. */
export function updateFenced(
  orm: Orm,
  lease: Lease,
  patch: ExecutionPatch,
  set: SQLiteUpdateSetSource<typeof executions> = {},
): void {
  const { changes } = orm
    .update(executions)
    // Setting the token to itself makes the statement valid when there is nothing else to set.
    .set({ leaseToken: lease.token, ...patchValues(patch), ...set })
    .where(and(eq(executions.executionId, lease.executionId), eq(executions.leaseToken, lease.token)))
    .run();
  if (changes === 0) throw new LeaseLostError(lease.executionId);
}

/** Fenced by a child's lease: applies `set` to the child step row, or throws `LeaseLostError`. */
export function updateChildFenced(
  orm: Orm,
  lease: Lease & { childPosition: number },
  set: SQLiteUpdateSetSource<typeof steps>,
): void {
  const { changes } = orm
    .update(steps)
    .set({ leaseToken: lease.token, ...set })
    .where(
      and(
        eq(steps.executionId, lease.executionId),
        eq(steps.position, lease.childPosition),
        eq(steps.leaseToken, lease.token),
      ),
    )
    .run();
  if (changes === 0) {
    throw new LeaseLostError(lease.executionId, { details: { childPosition: lease.childPosition } });
  }
}

/** Whether `lease` is on a parallel child rather than on the execution itself. */
export function isChildLease(lease: Lease): lease is Lease & { childPosition: number } {
  return lease.childPosition !== undefined;
}
