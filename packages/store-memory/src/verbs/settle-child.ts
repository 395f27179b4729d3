import type { ChildLease, ChildOutcome, RetryChildInput } from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import { fenceChild } from "../storage/fencing.js";
import { hasUnsettledChild } from "../storage/lifecycle.js";
import { compact, copy, makeDue } from "../storage/rows.js";

/**
 * Records a child's outcome and clears its lease. If it was the last unsettled child and the parent
 * waits on its children, the parent becomes due now and a `child` wake-up is emitted (only one
 * settle can, as the parent stops waiting on children).
 */
export function settleChild(ctx: MemoryContext, lease: ChildLease, outcome: ChildOutcome, now: Date): void {
  const { parent, child } = fenceChild(ctx.storage, lease);
  const { position, name, kind, startedAt } = child.record;
  child.record = compact({
    position,
    name,
    kind,
    status: outcome.status,
    result: outcome.result,
    error: outcome.error && copy(outcome.error),
    attempts: outcome.attempts,
    startedAt,
    completedAt: new Date(now),
  });
  delete child.lease;
  const record = parent.record;
  if (record.status !== "waiting" || record.waitReason !== "children") return;
  if (hasUnsettledChild(ctx.storage, record.executionId)) return;
  makeDue(record, now);
  ctx.emit("child", lease.executionId);
}

/** Records a failed attempt and parks the child (`pending`, lease cleared) until `input.wakeAt`. */
export function retryChild(ctx: MemoryContext, lease: ChildLease, input: RetryChildInput): void {
  const { child } = fenceChild(ctx.storage, lease);
  const record = child.record;
  record.status = "pending";
  record.error = copy(input.error);
  record.attempts = input.attempts;
  record.wakeAt = new Date(input.wakeAt);
  child.dueAt = new Date(input.wakeAt);
  delete child.lease;
}
