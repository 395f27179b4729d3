/**
 * Contract types of parallel children (`ctx.scheduleStep`): step rows of their parent, dispatched,
 * retried and settled under their own lease. Child executions are in `./child-executions.ts`.
 */
import type { SerializedError, StepRecord } from "./records.js";

/** A parallel child to create: its step position and name. */
export interface ChildSpec {
  position: number;
  name: string;
}

export interface DispatchChildrenInput {
  children: ChildSpec[];
  wakeAt?: Date;
}

export type DispatchOutcome = { suspended: true } | { suspended: false; children: StepRecord[] };

export interface ChildOutcome {
  status: "completed" | "failed";
  result?: string;
  error?: SerializedError;
  attempts: number;
}

/** A parallel child's failed attempt, to be tried again at `wakeAt` (see `Scheduler.retryChild`). */
export interface RetryChildInput {
  error: SerializedError;
  /** Attempts made so far, the failed one included. */
  attempts: number;
  /** When the next attempt becomes claimable. */
  wakeAt: Date;
}
