import type { DispatchChildrenInput, DispatchOutcome, ExecutionPatch, Lease } from "@zart/core/store";
import { and, asc, eq, notInArray, type Placeholder } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { fence, updateFenced } from "../db/fencing.js";
import { chunked, NO_LEASE, type Orm, SETTLED_STATUSES, toStepRecord } from "../db/rows.js";
import { steps } from "../db/schema.js";

/** The condition "an unsettled parallel child of `executionId`" (a value or a placeholder). */
export function unsettledChildOf(executionId: string | Placeholder) {
  return and(
    eq(steps.executionId, executionId),
    eq(steps.kind, "parallel"),
    notInArray(steps.status, SETTLED_STATUSES),
  );
}

/** Cancels every unsettled child of the execution and clears their leases. */
export function cancelUnsettledChildren(orm: Orm, executionId: string, now: Date): void {
  orm
    .update(steps)
    .set({ status: "cancelled", completedAt: now, leaseToken: null, leaseExpiresAt: null, dueAt: null })
    .where(unsettledChildOf(executionId))
    .run();
}

/**
 * Fenced: inserts the children that do not exist yet (pending, due now). If any child of the
 * execution is unsettled the execution parks on them until `wakeAt` with its lease cleared;
 * otherwise it keeps its lease and gets the rows of all its children back, ordered by position.
 *
 * Locking: one `BEGIN IMMEDIATE` transaction. Children become claimable only when it
 * commits, together with the parent's park, so a child can never settle before its parent waits
 * on it: `settleChild` (serialized by the write lock) always sees the parent already parked.
 */
export async function dispatchChildren(
  ctx: SqliteContext,
  lease: Lease,
  input: DispatchChildrenInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<DispatchOutcome> {
  const { orm } = ctx;
  return ctx.write(() => {
    fence(orm, lease, patch);
    const executionId = lease.executionId;
    for (const children of chunked(input.children, 200)) {
      orm
        .insert(steps)
        .values(
          children.map(({ position, name }) => ({
            executionId,
            position,
            name,
            kind: "parallel" as const,
            status: "pending" as const,
            attempts: 0,
            dueAt: now,
          })),
        )
        .onConflictDoNothing()
        .run();
    }
    const unsettled = orm
      .select({ position: steps.position })
      .from(steps)
      .where(unsettledChildOf(executionId))
      .limit(1)
      .get();
    if (unsettled !== undefined) {
      updateFenced(
        orm,
        lease,
        {},
        {
          status: "waiting",
          waitReason: "children",
          waitEvent: null,
          runAt: input.wakeAt ?? null,
          ...NO_LEASE,
        },
      );
      return { suspended: true };
    }
    const children = orm
      .select()
      .from(steps)
      .where(and(eq(steps.executionId, executionId), eq(steps.kind, "parallel")))
      .orderBy(asc(steps.position))
      .all();
    return { suspended: false, children: children.map(toStepRecord) };
  });
}
