import type { WakeReason } from "@zart/core/store";
import type pg from "pg";
import { type Database, statement } from "../db/database.js";
import { CLEAR_LEASE, TERMINAL } from "./fragments.js";

/*
 * What the verbs settling a child execution (complete, fail, cancel) share: the parent-before-child
 * lock order, waking a parent parked on its children, cancelling descendants.
 */

/** Builds the NOTIFY arguments of a wake-up. */
export type Notice = (reason: WakeReason, executionId: string) => [string, string];

export const notifySql = statement("notify", () => "SELECT pg_notify($1, $2)");

export const lockSql = statement(
  "child-lock-parent",
  (n) => `SELECT 1 FROM ${n.executions} WHERE execution_id = $1 FOR UPDATE`,
);

const wakeSql = statement(
  "wake-parent",
  (n) => `UPDATE ${n.executions} SET status = 'pending', run_at = $2, wait_reason = NULL, wait_event = NULL
  WHERE execution_id = $1 AND status = 'waiting' AND wait_reason = 'child-executions'
  RETURNING execution_id`,
);

const cancelLevelSql = statement(
  "cancel-child-executions",
  (n) => `
  WITH cancelled AS (
    UPDATE ${n.executions} SET status = 'cancelled', completed_at = $2, wait_reason = NULL,
      wait_event = NULL, unsettled_children = 0, ${CLEAR_LEASE}
    WHERE parent_id = ANY($1::text[]) AND detached IS NOT TRUE AND status NOT IN ${TERMINAL}
    RETURNING execution_id
  ), children AS (
    UPDATE ${n.steps} s SET status = 'cancelled', completed_at = $2, ready_at = NULL, ${CLEAR_LEASE}
    FROM cancelled c
    WHERE s.execution_id = c.execution_id AND s.kind = 'parallel' AND s.status NOT IN ${TERMINAL}
  )
  SELECT execution_id FROM cancelled`,
);

const parentOfSql = statement(
  "parent-of",
  (n) => `SELECT parent_id FROM ${n.executions} WHERE execution_id = $1`,
);

export type Query = <R extends pg.QueryResultRow>(
  stmt: ReturnType<typeof statement>,
  values: unknown[],
) => Promise<R[]>;

export function queryOn(db: Database, client: pg.PoolClient): Query {
  return async (stmt, values) => (await client.query(db.config(stmt, values))).rows;
}

/** Makes `parentId` due now if it is parked on child executions (and notifies); its id when woken. */
export async function wakeParent(
  query: Query,
  parentId: string,
  now: Date,
  notice: Notice,
): Promise<string | undefined> {
  const [woken] = await query<{ execution_id: string }>(wakeSql, [parentId, now]);
  if (woken === undefined) return undefined;
  await query(notifySql, notice("child", parentId));
  return parentId;
}

/**
 * Inside a cancel's transaction (the cancelled execution locked): cancels its non-detached
 * descendants level by level (parents before children) and wakes its own parent. Returns the ids
 * cancelled and the parent woken.
 */
export async function cancelDescendants(
  db: Database,
  client: pg.PoolClient,
  executionId: string,
  parentId: string | undefined,
  now: Date,
  notice: Notice,
): Promise<{ cancelled: string[]; woken?: string }> {
  const query = queryOn(db, client);
  const cancelled: string[] = [];
  for (let level = [executionId]; level.length > 0; ) {
    level = (await query<{ execution_id: string }>(cancelLevelSql, [level, now])).map(
      (row) => row.execution_id,
    );
    for (const id of level) await query(notifySql, notice("cancelled", id));
    cancelled.push(...level);
  }
  const woken = parentId === undefined ? undefined : await wakeParent(query, parentId, now, notice);
  return woken === undefined ? { cancelled } : { cancelled, woken };
}

/** Locks the parent of `executionId` (if any) before the execution itself: the store's lock order. */
export async function lockParentOf(
  db: Database,
  client: pg.PoolClient,
  executionId: string,
): Promise<string | undefined> {
  const { rows } = await client.query<{ parent_id: string | null }>(db.config(parentOfSql, [executionId]));
  const parentId = rows[0]?.parent_id ?? undefined;
  if (parentId !== undefined) await client.query(db.config(lockSql, [parentId]));
  return parentId;
}
