import { ExecutionNotFoundError, isTerminal } from "@zart/core";
import { eq } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { type Orm, terminal } from "../db/rows.js";
import { executions } from "../db/schema.js";
import { cancelChildExecutions, wakeParent } from "./child-executions.js";
import { cancelUnsettledChildren } from "./dispatch-children.js";

/**
 * Cancels a non-terminal execution, its unsettled children and its child executions in one
 * `BEGIN IMMEDIATE` transaction; false when already terminal.
 */
export async function cancelExecution(ctx: SqliteContext, executionId: string, now: Date): Promise<boolean> {
  const { orm } = ctx;
  const cancelled = await ctx.write(() => {
    if (!cancelOne(orm, executionId, now)) return undefined;
    const descendants = cancelChildExecutions(orm, executionId, now);
    return { ids: [executionId, ...descendants], parent: wakeParent(orm, executionId, now) };
  });
  if (cancelled === undefined) return false;
  for (const id of cancelled.ids) ctx.emit("cancelled", id);
  if (cancelled.parent !== undefined) ctx.emit("child", cancelled.parent);
  return true;
}

/**
 * Cancels a non-terminal execution (lease cleared, so its holder's next write fails) and its
 * unsettled children. Returns false when already terminal; unknown id → `ExecutionNotFoundError`.
 */
function cancelOne(orm: Orm, executionId: string, now: Date): boolean {
  const row = orm
    .select({ status: executions.status })
    .from(executions)
    .where(eq(executions.executionId, executionId))
    .get();
  if (row === undefined) throw new ExecutionNotFoundError(executionId);
  if (isTerminal(row.status)) return false;
  orm.update(executions).set(terminal("cancelled", now)).where(eq(executions.executionId, executionId)).run();
  cancelUnsettledChildren(orm, executionId, now);
  return true;
}
