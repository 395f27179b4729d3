/** Contract types of `claim`: what a worker asks for and the units of work it gets back. */
import type { ChildLease, ExecutionLease } from "./lease.js";
import type { ExecutionRecord, StepRecord } from "./records.js";

/** One version of a task a claimer runs (`defineTask({ version })`). */
export interface TaskVersion {
  taskName: string;
  version: string;
}

export interface ClaimRequest {
  workerId: string;
  /**
   * Claim only units of these tasks: unversioned executions (no `version`) whose `taskName` is
   * listed, and children whose parent is one. Required, so no caller claims (and then fails)
   * another application's work by omission; an empty list (and no `taskVersions`) claims nothing.
   */
  taskNames: readonly string[];
  /**
   * Also claim executions (and their children) with exactly one of these (`taskName`, `version`)
   * pairs; absent = none. An execution's version must match exactly: a versioned one is never taken
   * by `taskNames`, so executions in flight drain on the code they started with. `claimKeys`
   * (`@zart/core/store`) turns the two lists into the one key list to test `claimKey(row)` against.
   */
  taskVersions?: readonly TaskVersion[];
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
  /**
   * Fleet-wide rate limits by task name (absent: none, and the claim costs what it did). The first
   * claim of a run (`startedAt` absent) of an execution of a listed task that has a `rateKey` counts
   * one start in the fixed window `floor(now / periodMs)` of its key; at most `limit` starts are
   * counted per window and key. An execution that would exceed it is not claimed: the claim sets
   * its `runAt` and `rateLimitedUntil` to the window's end (it wakes at the reset, not by polling).
   * Resumed executions (`startedAt` set) and parallel children never count. As with concurrency
   * limits, the store persists keys, not limits: a changed limit applies from the next claim.
   */
  rateLimits?: Readonly<Record<string, RateLimit>>;
}

/** `Scheduler.takeRateToken`: take one of `limit` tokens of `key`'s fixed window `floor(now / periodMs)`. */
export interface RateTokenRequest extends RateLimit {
  /** `gate:<name>`, then `\n<key>` when the gate has a key. */
  key: string;
}

/** Taken (counted), or not: the window is full until `retryAt` (its end). */
export type RateTokenOutcome = { taken: true } | { taken: false; retryAt: Date };

/** A rate limit as a claim sends it: `limit` starts per fixed window of `periodMs`. */
export interface RateLimit {
  limit: number;
  periodMs: number;
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
