/**
 * Contract types of the client verbs that create and read executions (`createExecution`,
 * `forkExecution`, `listExecutions`, `purge`) and of the wake-ups stores push to workers.
 */
import type { ExecutionStatus, WakeReason } from "./vocabularies.js";

export interface NewExecution {
  executionId: string;
  taskName: string;
  /** JSON text of the input. */
  payload: string;
  /** When it becomes due (now, or later for a delayed start). */
  runAt: Date;
  /** Claim order among due executions: higher first; absent = 0 (parallel children rank as 0). */
  priority?: number;
  /** The concurrency group it counts in (see `ClaimRequest.concurrencyLimits`); absent = none. */
  concurrencyKey?: string;
  /** The rate-limit group its start counts in (see `ClaimRequest.rateLimits`); absent = none. */
  rateKey?: string;
  /** Its starter's trace context, stored as `ExecutionRecord.traceContext`. */
  traceContext?: string;
  /** The task version it starts on (see `ClaimRequest.taskVersions`); absent = unversioned. */
  version?: string;
}

/** A rerun of an execution from one of its steps (see `Scheduler.forkExecution`). */
export interface ForkExecutionInput {
  /** The execution to fork; it is left untouched. */
  sourceId: string;
  /** The new execution's id; it must not exist yet (and differs from `sourceId`). */
  executionId: string;
  /** Name (with its occurrence suffix) of the source's first step NOT copied. */
  fromStep: string;
  /** JSON text of the new execution's input; absent = the source's input. */
  payload?: string;
  /** The rerun's caller's trace context, stored as the new execution's `traceContext`. */
  traceContext?: string;
  /** The new input's concurrency group (from `payload`, by the task's `key(data)`); absent = the source's. */
  concurrencyKey?: string;
  /** The new input's rate-limit group, likewise; absent = the source's. */
  rateKey?: string;
}

export interface ListFilter {
  status?: ExecutionStatus;
  taskName?: string;
  /** Only the child executions of this execution. */
  parentId?: string;
  /** Only executions started on this task version. */
  version?: string;
  /** Only executions created at or after this instant. */
  createdAfter?: Date;
  /** Only executions created strictly before this instant. */
  createdBefore?: Date;
  /**
   * Keyset pagination: only executions after this one in list order (`createdAt` desc, then
   * `executionId` asc). The position need not exist any more (deleted, or its status changed).
   */
  after?: ListPosition;
  /**
   * Only executions of this queue (`defineQueue({ name })`): whose `concurrencyKey` is
   * `queue:<name>` or starts with `queue:<name>` and `"\n"` (see `queueKeyRange`).
   */
  queue?: string;
  limit: number;
  /** Rows skipped after the filters (and `after`) apply; 0 with keyset pagination. */
  offset: number;
}

/** A place in list order: the last row of the page before. */
export interface ListPosition {
  createdAt: Date;
  executionId: string;
}

export interface PurgeFilter {
  /** Deletes terminal executions completed before this instant. */
  olderThan: Date;
  /** Terminal statuses to delete (default: all three). */
  statuses?: ExecutionStatus[];
}

/** A hint that work may be due (or, for `cancelled`, that a running execution must stop). */
export interface WakeUp {
  reason: WakeReason;
  executionId: string;
}

export type Unsubscribe = () => void;
