import { type ChildLease, type ChildOutcome, leaseLost, type RetryChildInput } from "@zart/core/store";
import { and, eq, notExists, sql } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { updateChildFenced } from "../db/fencing.js";
import { json, preparedPerConnection, raw } from "../db/prepared.js";
import { executions, steps } from "../db/schema.js";
import { unsettledChildOf } from "./dispatch-children.js";

const byId = sql.placeholder("id");

const statements = preparedPerConnection((orm) => ({
  // Fenced by the child's token: the outcome, and the child's lease cleared.
  settle: orm
    .update(steps)
    .set({
      status: raw("status"),
      result: raw("result"),
      error: raw("error"),
      attempts: raw("attempts"),
      wakeAt: null,
      completedAt: raw("now"),
      leaseToken: null,
      leaseExpiresAt: null,
      dueAt: null,
    })
    .where(
      and(
        eq(steps.executionId, byId),
        eq(steps.position, sql.placeholder("position")),
        eq(steps.leaseToken, sql.placeholder("token")),
      ),
    )
    .prepare(),
  // Wakes the parent only if it waits on its children and none is left unsettled.
  wakeParent: orm
    .update(executions)
    .set({ status: "pending", runAt: raw("now"), waitReason: null, waitEvent: null })
    .where(
      and(
        eq(executions.executionId, byId),
        eq(executions.status, "waiting"),
        eq(executions.waitReason, "children"),
        notExists(orm.select({ position: steps.position }).from(steps).where(unsettledChildOf(byId))),
      ),
    )
    .prepare(),
}));

/**
 * Fenced by the child's lease: records its outcome and clears its lease; if no child of the parent
 * is left unsettled and the parent waits on its children, makes the parent due now and wakes
 * it.
 *
 * Locking: one `BEGIN IMMEDIATE` transaction. The parent is woken by a single
 * conditional `UPDATE … WHERE status = 'waiting' AND wait_reason = 'children' AND NOT EXISTS
 * (unsettled child)`; settles are serialized by SQLite's write lock, so only the settle that
 * leaves no unsettled child sees the condition true, and after it the parent no longer waits on
 * children: exactly one settle wakes the parent.
 */
export async function settleChild(
  ctx: SqliteContext,
  lease: ChildLease,
  outcome: ChildOutcome,
  now: Date,
): Promise<void> {
  const { orm } = ctx;
  const woken = await ctx.write(() => {
    const prepared = statements(orm);
    const id = lease.executionId;
    const { changes } = prepared.settle.run({
      id,
      position: lease.childPosition,
      token: lease.token,
      status: outcome.status,
      result: outcome.result ?? null,
      error: json(outcome.error),
      attempts: outcome.attempts,
      now: now.getTime(),
    });
    if (changes === 0) throw leaseLost(lease);
    return prepared.wakeParent.run({ id, now: now.getTime() }).changes > 0;
  });
  if (woken) ctx.emit("child", lease.executionId);
}

/**
 * Fenced by the child's lease: records a failed attempt and parks the child (`pending`, lease
 * cleared) with `due_at = wake_at = input.wakeAt`; the claim takes it once `due_at <= now`.
 */
export async function retryChild(
  ctx: SqliteContext,
  lease: ChildLease,
  input: RetryChildInput,
  _now: Date,
): Promise<void> {
  const { orm } = ctx;
  return ctx.write(() => {
    updateChildFenced(orm, lease, {
      status: "pending",
      error: input.error,
      attempts: input.attempts,
      wakeAt: input.wakeAt,
      dueAt: input.wakeAt,
      leaseToken: null,
      leaseExpiresAt: null,
    });
  });
}
