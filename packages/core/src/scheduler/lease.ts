import { LeaseLostError } from "../errors.js";

/** The right to run an execution, granted by `claim`. */
export interface ExecutionLease {
  kind: "execution";
  executionId: string;
  /** The fencing token every write under this lease carries. */
  token: string;
  /**
   * Set by stores that need it on the lease of a child execution: its parent's id, so the write
   * that settles it can lock the parent first (see `awaitChildExecutions`).
   */
  parentId?: string;
}

/** The right to run one parallel child (the step row at `childPosition`) of an execution. */
export interface ChildLease {
  kind: "child";
  executionId: string;
  token: string;
  childPosition: number;
}

/** Identifies the holder of a lease: on a whole execution, or on one of its parallel children. */
export type Lease = ExecutionLease | ChildLease;

export function executionLease(executionId: string, token: string, parentId?: string): ExecutionLease {
  return parentId === undefined
    ? { kind: "execution", executionId, token }
    : { kind: "execution", executionId, token, parentId };
}

export function childLease(executionId: string, token: string, childPosition: number): ChildLease {
  return { kind: "child", executionId, token, childPosition };
}

/** The error of a fenced write under `lease` whose token no longer matches the stored one. */
export function leaseLost(lease: Lease): LeaseLostError {
  return lease.kind === "child"
    ? new LeaseLostError(lease.executionId, { details: { childPosition: lease.childPosition } })
    : new LeaseLostError(lease.executionId);
}
