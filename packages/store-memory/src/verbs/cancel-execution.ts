import { ExecutionNotFoundError, isTerminal } from "@zart/core";
import type { MemoryContext } from "../storage/context.js";
import { cancelUnsettledChildren, finish } from "../storage/lifecycle.js";
import type { MemoryStorage } from "../storage/memory-storage.js";
import { wakeParent } from "./child-executions.js";

/** Cancels the execution, its unsettled children and its child executions; false when already terminal. */
export function cancelExecution(ctx: MemoryContext, executionId: string, now: Date): boolean {
  const row = ctx.storage.execution(executionId);
  if (row === undefined) throw new ExecutionNotFoundError(executionId);
  if (isTerminal(row.record.status)) return false;
  finish(row, "cancelled", now);
  cancelUnsettledChildren(ctx.storage, executionId, now);
  const descendants = cancelChildExecutions(ctx.storage, executionId, now);
  wakeParent(ctx, row, now);
  for (const id of [executionId, ...descendants]) ctx.emit("cancelled", id);
  return true;
}

/**
 * Cancels the non-terminal, non-detached child executions of `executionId`, and theirs, with their
 * parallel children. Returns the ids cancelled.
 */
function cancelChildExecutions(storage: MemoryStorage, executionId: string, now: Date): string[] {
  const cancelled: string[] = [];
  const queue = [executionId];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const row of storage.unfinishedExecutions()) {
      if (row.record.parentId !== id || row.record.detached) continue;
      finish(row, "cancelled", now);
      cancelUnsettledChildren(storage, row.record.executionId, now);
      cancelled.push(row.record.executionId);
      queue.push(row.record.executionId);
    }
  }
  return cancelled;
}
