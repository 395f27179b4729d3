import { type ChildLease, type Lease, leaseLost } from "@zart/core/store";
import type { ExecutionRow, MemoryStorage, StepRow } from "./memory-storage.js";

/**
 * The execution row `lease` still holds, or `LeaseLostError` when its token no longer matches the
 * stored one (taken over after expiry, cancelled, released, finished, or the execution is gone).
 * An expired lease that nobody took over still matches.
 */
export function fenceExecution(storage: MemoryStorage, lease: Lease): ExecutionRow {
  const row = storage.execution(lease.executionId);
  if (row?.token === undefined || row.token !== lease.token) throw leaseLost(lease);
  return row;
}

/** The child step row a child lease still holds, or `LeaseLostError` (see {@link fenceExecution}). */
export function fenceChild(
  storage: MemoryStorage,
  lease: ChildLease,
): { parent: ExecutionRow; child: StepRow } {
  const parent = storage.execution(lease.executionId);
  const child = storage.steps(lease.executionId).get(lease.childPosition);
  if (parent === undefined || child?.lease === undefined || child.lease.token !== lease.token) {
    throw leaseLost(lease);
  }
  return { parent, child };
}
