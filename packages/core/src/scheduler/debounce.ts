/** Contract types of `Scheduler.debounceExecution` (`start(..., { debounce })`). */
import type { NewExecution } from "./client-verbs.js";
import type { ExecutionRecord } from "./records.js";

export interface DebounceInput {
  /**
   * The start: the execution created when no unclaimed one holds the key (its `executionId` is
   * used only then), and the input, priority and concurrency key that replace the holder's when
   * one does. `runAt` is `now + period`.
   */
  execution: NewExecution;
  /** The debounce key, scoped by `execution.taskName`: a non-empty string. */
  key: string;
  /** Caps the due time at the holder's `createdAt + timeoutMs` (its first start); absent = no cap. */
  timeoutMs?: number;
}

export interface DebounceOutcome {
  /** The execution that will run: the one created, or the holder with its new input and due time. */
  execution: ExecutionRecord;
  /**
   * How many starts this execution has collapsed so far, this one included: 1 when this call
   * created it. Among racing calls on one key each number is given once, in the order the store
   * serialized them, so the call answered with the highest number wrote the input that runs.
   */
  starts: number;
}
