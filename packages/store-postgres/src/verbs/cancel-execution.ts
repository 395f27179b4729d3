import { ExecutionNotFoundError } from "@zart/core";
import { type Database, statement } from "../db/database.js";
import { cancelDescendants, lockParentOf } from "../sql/child-tree.js";
import { CLEAR_LEASE, TERMINAL } from "../sql/fragments.js";
import type { WakeUps } from "../wake-ups/wake-ups.js";

/**
 * Cancels an execution and its unsettled children. A client verb, so it favours exactness over
 * round trips: a transaction of two statements.
 *
 * Locking: statement 1 locks the execution row (`FOR UPDATE`, newest version). Statement 2 runs
 * with a fresh snapshot taken after that lock, so it also sees children dispatched by a write that
 * committed while we waited; it cancels the execution (clearing its lease: the holder's next
 * write fails) and then the children (clearing their leases), parent before children as
 * everywhere. A `cancelled` NOTIFY is sent at commit.
 */
const lockSql = statement(
  "cancel-lock",
  (n) => `SELECT status FROM ${n.executions} WHERE execution_id = $1 FOR UPDATE`,
);

const cancelSql = statement(
  "cancel-execution",
  (n) => `
  WITH cancelled AS (
    UPDATE ${n.executions} SET status = 'cancelled', completed_at = $2, wait_reason = NULL,
      wait_event = NULL, unsettled_children = 0, ${CLEAR_LEASE}
    WHERE execution_id = $1
    RETURNING execution_id
  ), children AS (
    UPDATE ${n.steps} s SET status = 'cancelled', completed_at = $2, ready_at = NULL, ${CLEAR_LEASE}
    FROM cancelled c
    WHERE s.execution_id = c.execution_id AND s.kind = 'parallel' AND s.status NOT IN ${TERMINAL}
  )
  SELECT pg_notify($3, $4)::text AS notified FROM cancelled`,
);

/**
 * Cancels a live execution and its non-detached child executions (recursively), waking its parent
 * if it is a child execution: `false` when already terminal; `ExecutionNotFoundError` when
 * unknown. The parent's row is locked before the execution's (see `sql/child-tree.ts`).
 */
export async function cancelExecution(
  db: Database,
  wakeUps: WakeUps,
  executionId: string,
  now: Date,
): Promise<boolean> {
  const notice = wakeUps.notice;
  const tree = await db.transaction(async (client) => {
    const parentId = await lockParentOf(db, client, executionId);
    const locked = await client.query<{ status: string }>(db.config(lockSql, [executionId]));
    const status = locked.rows[0]?.status;
    if (status === undefined) throw new ExecutionNotFoundError(executionId);
    if (["completed", "failed", "cancelled"].includes(status)) return undefined;
    await client.query(db.config(cancelSql, [executionId, now, ...notice("cancelled", executionId)]));
    const tree = await cancelDescendants(db, client, executionId, parentId, now, notice);
    return { ...tree, cancelled: [executionId, ...tree.cancelled] };
  });
  if (tree === undefined) return false;
  for (const id of tree.cancelled) wakeUps.emit("cancelled", id);
  if (tree.woken !== undefined) wakeUps.emit("child", tree.woken);
  return true;
}
