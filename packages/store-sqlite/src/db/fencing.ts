import { type ChildLease, type ExecutionPatch, type Lease, leaseLost } from "@zart/core/store";
import { and, eq, sql } from "drizzle-orm";
import type { SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { ms, preparedPerConnection } from "./prepared.js";
import { type Orm, patchValues } from "./rows.js";
import { executions, steps } from "./schema.js";

/*
 * Fencing is one conditional `UPDATE … WHERE lease_token = ?` run first in a verb's transaction:
 * zero rows changed means the token no longer matches (taken over after expiry, cancelled,
 * released, finished, or the execution is gone) → `LeaseLostError`, and the transaction rolls back
 * with nothing written. An expired lease that nobody took over still matches.
 */

/** For prepared fenced updates: the checkpoint patch's columns, kept as they are when absent. */
export const PATCH_SET = {
  data: sql`coalesce(${sql.placeholder("data")}, ${executions.data})`,
  timeoutAt: sql`coalesce(${sql.placeholder("timeoutAt")}, ${executions.timeoutAt})`,
};

/** For prepared fenced updates: the row the lease holds (`id` and `token` bound per call). */
export const FENCED_ROW = and(
  eq(executions.executionId, sql.placeholder("id")),
  eq(executions.leaseToken, sql.placeholder("token")),
);

/** The values of {@link PATCH_SET} and {@link FENCED_ROW} for one call. */
export function fenceBindings(lease: Lease, patch: ExecutionPatch) {
  return {
    id: lease.executionId,
    token: lease.token,
    data: patch.data ?? null,
    timeoutAt: ms(patch.timeoutAt),
  };
}

const statements = preparedPerConnection((orm) => ({
  // The hot path's fence: checks the token and applies the checkpoint patch.
  fence: orm.update(executions).set(PATCH_SET).where(FENCED_ROW).prepare(),
}));

/** Fenced: applies `patch` to the execution `lease` holds, or throws `LeaseLostError`. */
export function fence(orm: Orm, lease: Lease, patch: ExecutionPatch): void {
  const { changes } = statements(orm).fence.run(fenceBindings(lease, patch));
  if (changes === 0) throw leaseLost(lease);
}

/** Fenced: applies `patch` and `set` to the execution `lease` holds, or throws `LeaseLostError`. */
export function updateFenced(
  orm: Orm,
  lease: Lease,
  patch: ExecutionPatch,
  set: SQLiteUpdateSetSource<typeof executions>,
): void {
  const { changes } = orm
    .update(executions)
    .set({ ...patchValues(patch), ...set })
    .where(and(eq(executions.executionId, lease.executionId), eq(executions.leaseToken, lease.token)))
    .run();
  if (changes === 0) throw leaseLost(lease);
}

/** Fenced by a child's lease: applies `set` to the child step row, or throws `LeaseLostError`. */
export function updateChildFenced(
  orm: Orm,
  lease: ChildLease,
  set: SQLiteUpdateSetSource<typeof steps>,
): void {
  const { changes } = orm
    .update(steps)
    .set(set)
    .where(
      and(
        eq(steps.executionId, lease.executionId),
        eq(steps.position, lease.childPosition),
        eq(steps.leaseToken, lease.token),
      ),
    )
    .run();
  if (changes === 0) throw leaseLost(lease);
}
