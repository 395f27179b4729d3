/**
 * The records a {@link Scheduler} stores. Values written by user code (inputs, step results, event
 * payloads, `ctx.data`) cross the store boundary as JSON text, already serialized by the engine, so
 * every store persists the same bytes and no store re-serializes. An absent JSON field means
 * `undefined`; the text `"null"` means `null`.
 */

import type { ExecutionStatus, StepKind, StepStatus, WaitReason } from "./vocabularies.js";

/** An error as persisted: enough to rebuild a typed error on replay. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
  details?: Record<string, unknown>;
  cause?: SerializedError;
}

export interface ExecutionRecord {
  executionId: string;
  /** Run number of this id, 1-based: a start that replaces a terminal execution begins the next run. Absent = 1. */
  run?: number;
  taskName: string;
  /** The task version it started on (`defineTask({ version })`); absent = unversioned. */
  version?: string;
  /** JSON text of the input. */
  payload: string;
  status: ExecutionStatus;
  /** JSON text of the output (completed only); absent = `undefined`. */
  result?: string;
  error?: SerializedError;
  /** JSON text of the `ctx.data()` blob; absent = never set. */
  data?: string;
  /** Task-level attempt, 0-based. */
  attempt: number;
  /** Wake time: when a pending/waiting execution becomes claimable. Absent = only a push (event) wakes it. */
  runAt?: Date;
  /** The task timeout's absolute deadline, fixed at the first claim. */
  timeoutAt?: Date;
  waitReason?: WaitReason;
  /** Event name the execution is parked on (`waitReason === "event"`). */
  waitEvent?: string;
  /** Claim order among due work, higher first; absent = 0 (its parallel children rank as 0). */
  priority?: number;
  /** Its concurrency group (`task:<name>` or `queue:<name>`, then `\n<key>` when keyed); absent = none. */
  concurrencyKey?: string;
  /** Its rate-limit group (`task:<name>` or `queue:<name>`, then `\n<key>` when keyed); absent = none. */
  rateKey?: string;
  /**
   * Set by a claim that found its rate-limit window full (see `ClaimRequest.rateLimits`): the
   * window's end, which is also its `runAt`. Cleared when it is claimed; absent = not deferred.
   */
  rateLimitedUntil?: Date;
  /** The execution that started this one with `ctx.startChild`; absent for a top-level execution. */
  parentId?: string;
  /** The execution this one is a rerun of (`rerun(id, { fromStep })`); absent otherwise. */
  rerunOf?: string;
  /** The step of `rerunOf` this rerun started from (its history holds the steps before it). */
  rerunFromStep?: string;
  /** A child started with `detached: true`: a cancel of its parent does not reach it. */
  detached?: boolean;
  /**
   * The W3C trace context of its starter (JSON text of a `traceparent`/`tracestate` carrier, see
   * `TraceContext`), the parent of its spans on every worker; absent = none was active.
   */
  traceContext?: string;
  /** When it was asked to start (the requested `runAt` of the start call). */
  scheduledAt: Date;
  createdAt: Date;
  /** First claim. */
  startedAt?: Date;
  /** Reached a terminal status. */
  completedAt?: Date;
  leaseOwner?: string;
  leaseExpiresAt?: Date;
}

export interface StepRecord {
  /** Position in the execution's history, 0-based, in call order. */
  position: number;
  /** Name with its occurrence suffix (`notify`, `notify#1`). */
  name: string;
  kind: StepKind;
  status: StepStatus;
  /** JSON text of the result (completed) or the event payload (kind `event`). */
  result?: string;
  error?: SerializedError;
  /** Attempts made (failed attempts included). */
  attempts: number;
  /** Sleep end, event-wait deadline, or the next retry attempt's time. */
  wakeAt?: Date;
  startedAt?: Date;
  completedAt?: Date;
  /** An event wait answered by an offer: the offerer's trace context (the event's `traceContext`). */
  traceContext?: string;
}

export interface EventRecord {
  eventName: string;
  /** Offer order within the execution (FIFO per name). */
  sequence: number;
  /** JSON text of the payload. */
  payload: string;
  idempotencyKey?: string;
  offeredAt: Date;
  consumedAt?: Date;
  /** The offerer's trace context (see `ExecutionRecord.traceContext`); absent = none was active. */
  traceContext?: string;
}

/** One run of an execution id, as listed by `Scheduler.listRuns`. */
export interface RunSummary {
  run: number;
  status: ExecutionStatus;
  taskName: string;
  createdAt: Date;
  completedAt?: Date;
}

export interface ExecutionDetails {
  execution: ExecutionRecord;
  /** Ordered by position. */
  steps: StepRecord[];
  /** Ordered by sequence. */
  events: EventRecord[];
}
