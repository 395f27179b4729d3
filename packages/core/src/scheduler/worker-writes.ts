/**
 * Contract types of the fenced worker writes that checkpoint or end an attempt: the execution patch
 * every write carries, the step row written, and the inputs of `suspend`, `retryExecution`,
 * `completeExecution` and `failExecution`.
 */
import type { SerializedError, StepRecord } from "./records.js";

/** Execution fields a worker writes along with any fenced write ("checkpoint"). */
export interface ExecutionPatch {
  /** New `ctx.data()` JSON text, when it changed since the last write. */
  data?: string;
  /** The task timeout's deadline, sent once (at the first write after the first claim). */
  timeoutAt?: Date;
}

/** A step row as the engine writes it (insert or replace at `position`): the row it reads back. */
export type StepWrite = StepRecord;

export interface SuspendInput {
  step?: StepWrite;
  wakeAt: Date;
  reason: "sleep" | "retry";
}

export interface RetryExecutionInput {
  error: SerializedError;
  runAt: Date;
}

export interface CompleteExecutionInput {
  /** JSON text of the output; absent = `undefined`. */
  result?: string;
}

export interface FailExecutionInput {
  error: SerializedError;
}
