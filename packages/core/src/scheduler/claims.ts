/** Contract types of `claim`: what a worker asks for and the units of work it gets back. */
import type { ChildLease, ExecutionLease } from "./lease.js";
import type { ExecutionRecord, StepRecord } from "./records.js";

export interface ClaimRequest {
  workerId: string;
  /**
   * Claim only units of these tasks: executions whose `taskName` is listed, and children whose
   * parent's is. Required, so no caller claims (and then fails) another application's work by
   * omission; an empty list claims nothing.
   */
  taskNames: readonly string[];
  /** Claim at most this many units (executions and children together). */
  limit: number;
  leaseMs: number;
  now: Date;
  /**
   * Fleet-wide concurrency limits by task name (absent: none, and the claim costs what it did). An
   * execution of a listed task that has a `concurrencyKey` is claimed only while fewer than the
   * limit of executions with that key hold an unexpired lease (`running`, `leaseExpiresAt > now`),
   * counting those this call claims. Every claimer that may take such executions must send the
   * limit: the store persists keys, not limits, so a changed limit applies from the next claim.
   */
  concurrencyLimits?: Readonly<Record<string, number>>;
}

export interface ClaimedExecution {
  kind: "execution";
  lease: ExecutionLease;
  /** The row after the claim (status `running`, `startedAt` set). */
  execution: ExecutionRecord;
  /** The full history, ordered by position. */
  steps: StepRecord[];
}

export interface ClaimedChild {
  kind: "child";
  lease: ChildLease;
  execution: ExecutionRecord;
  /** Exactly the parent's steps with `position < child.position`, ordered by position. */
  steps: StepRecord[];
  /** The child step to run (status `running`). */
  child: StepRecord;
}

export type ClaimedWork = ClaimedExecution | ClaimedChild;
