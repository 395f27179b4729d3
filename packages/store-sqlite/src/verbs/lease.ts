import { type Lease, leaseLost } from "@zart/core/store";
import { and, eq, sql } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { updateChildFenced, updateFenced } from "../db/fencing.js";
import { preparedPerConnection, raw } from "../db/prepared.js";
import { NO_LEASE } from "../db/rows.js";
import { executions, steps } from "../db/schema.js";

const statements = preparedPerConnection((orm) => ({
  // Heartbeats run beside every unit every leaseDuration / 3: prepared, fenced by the token.
  renewExecution: orm
    .update(executions)
    .set({ leaseExpiresAt: raw("expiresAt") })
    .where(
      and(
        eq(executions.executionId, sql.placeholder("id")),
        eq(executions.leaseToken, sql.placeholder("token")),
      ),
    )
    .prepare(),
  renewChild: orm
    .update(steps)
    .set({ leaseExpiresAt: raw("expiresAt") })
    .where(
      and(
        eq(steps.executionId, sql.placeholder("id")),
        eq(steps.position, sql.placeholder("position")),
        eq(steps.leaseToken, sql.placeholder("token")),
      ),
    )
    .prepare(),
}));

/** Fenced: extends the lease (of the execution, or of the child when `childPosition` is set). */
export async function renewLease(
  ctx: SqliteContext,
  lease: Lease,
  leaseMs: number,
  now: Date,
): Promise<void> {
  const { orm } = ctx;
  return ctx.write(() => {
    const values = { id: lease.executionId, token: lease.token, expiresAt: now.getTime() + leaseMs };
    const { changes } =
      lease.kind === "child"
        ? statements(orm).renewChild.run({ ...values, position: lease.childPosition })
        : statements(orm).renewExecution.run(values);
    if (changes === 0) throw leaseLost(lease);
  });
}

/** Fenced: gives the unit back without progress; an execution becomes due now, a child pending. */
export async function releaseLease(ctx: SqliteContext, lease: Lease, now: Date): Promise<void> {
  const { orm } = ctx;
  await ctx.write(() => {
    if (lease.kind === "child") {
      updateChildFenced(orm, lease, {
        status: "pending",
        dueAt: now,
        leaseToken: null,
        leaseExpiresAt: null,
      });
    } else {
      updateFenced(orm, lease, {}, { status: "pending", runAt: now, ...NO_LEASE });
    }
  });
  ctx.emit("released", lease.executionId);
}
