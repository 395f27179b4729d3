import type { StepKind } from "../scheduler/vocabularies.js";

/** What identifies one run of a claimed unit (an execution, or one parallel step of it). */
export interface AttemptInfo {
  executionId: string;
  taskName: string;
  /** Task-level attempt, 0-based. */
  attempt: number;
  workerId: string;
  /** `"child"`: the run executes one parallel step (`step`) of the execution. */
  unit: "execution" | "child";
  /** The parallel step a child run executes. */
  step?: string;
  /** True when the unit has history to replay (false on an execution's first run). */
  replay: boolean;
  /** When the unit became due (absent for work woken only by a push, e.g. an event). */
  dueAt?: Date;
  /** When this worker claimed it (store clock). */
  claimedAt: Date;
  /** The execution's persisted trace context (see `ExecutionRecord.traceContext`). */
  traceContext?: string;
  /** The trace context of the offer whose event answered the wait this run resumes from. */
  resumedBy?: string;
}

/**
 * How a run ended: `completed`/`failed` for good, `retry` (task attempt failed, another is
 * scheduled), `suspended` (sleep, event wait, step retry backoff), `lost` (lease lost, cancelled or
 * store unreachable), `released` (worker stopped), `settled` (a child run wrote its step's outcome),
 * `replay-end`, or `crashed` (an engine bug).
 */
export type AttemptOutcome =
  | "completed"
  | "failed"
  | "retry"
  | "suspended"
  | "lost"
  | "released"
  | "settled"
  | "replay-end"
  | "crashed";

export interface AttemptEnd extends AttemptInfo {
  outcome: AttemptOutcome;
  error?: unknown;
  /** Wall time the run took, in ms. */
  durationMs: number;
  /** For `suspended` and `retry`: when the execution is due again. */
  wakeAt?: Date;
}

export interface StepAttemptInfo {
  executionId: string;
  taskName: string;
  workerId: string;
  /** The step name as recorded (repeated names carry `#n`). */
  step: string;
  kind: StepKind;
  /** Step attempt, 1-based. */
  attempt: number;
}

export interface StepAttemptEnd extends StepAttemptInfo {
  /** `retry`: the attempt failed and the step is retried after a durable backoff. */
  outcome: "completed" | "retry" | "failed";
  error?: unknown;
  durationMs: number;
}

/** A run parking durably: a sleep, an event wait, or a step's retry backoff. */
export interface SuspendInfo {
  executionId: string;
  taskName: string;
  workerId: string;
  reason: "sleep" | "event" | "retry";
  /** The sleep, event wait or retried step (absent when a replay re-parks on a pending retry). */
  step?: string;
  /** When it wakes (absent: an event wait with no deadline). */
  wakeAt?: Date;
}

/**
 * Callbacks a `Worker` calls around execution and step attempts, for users who bring their own
 * tooling (the OpenTelemetry integration is built on them). They run synchronously on the engine's
 * path, so keep them cheap; an error they throw is logged and otherwise ignored. The info an
 * `…Ended` callback gets is the very object its `…Started` got, completed (outcome, duration…): a
 * hook may tag it (e.g. under a symbol key) to find its state again at the end.
 */
export interface WorkerHooks {
  attemptStarted?(info: AttemptInfo): void;
  attemptEnded?(info: AttemptEnd): void;
  stepStarted?(info: StepAttemptInfo): void;
  /**
   * Wraps a step attempt's body, between `stepStarted` and `stepEnded` (same info object): must
   * return `body()`'s result, e.g. run inside a context so that spans the body starts are the
   * step span's children. Several hooks' wrappers nest, the first outermost.
   */
  runStep?<T>(info: StepAttemptInfo, body: () => T): T;
  stepEnded?(info: StepAttemptEnd): void;
  suspended?(info: SuspendInfo): void;
}
