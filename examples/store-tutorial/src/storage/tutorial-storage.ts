import type {
  EventRecord,
  ExecutionDetails,
  ExecutionRecord,
  PauseRule,
  StepRecord,
  StoredSchedule,
  WorkerRecord,
} from "@zart/core/store";

/** A parallel child's lease (the step row itself holds the child's status). */
export interface ChildGrant {
  token: string;
  expiresAt: Date;
}

/** One execution with everything it owns. */
export interface Entry {
  record: ExecutionRecord;
  /** The execution lease's fencing token, while `running`. */
  token?: string;
  /** Step rows by position. */
  steps: Map<number, StepRecord>;
  /** Leases of the running parallel children, by position. */
  children: Map<number, ChildGrant>;
  /** The mailbox, in offer order. */
  events: EventRecord[];
}

/**
 * The data, in plain Maps. Pass the same storage to a new `TutorialScheduler` to reopen it (the
 * conformance suite's `create()` does). It lives in this process only.
 */
export class TutorialStorage {
  readonly entries = new Map<string, Entry>();
  /** Schedules by id. */
  readonly schedules = new Map<string, StoredSchedule>();
  /** The archived (earlier) runs of each id, oldest first, frozen as `getRun` returns them. */
  readonly runs = new Map<string, ExecutionDetails[]>();
  /** The worker registry, by worker id. */
  readonly workers = new Map<string, WorkerRecord>();
  /**
   * Debounce holders by `<task>\n<key>`: the execution run collapsing the starts and their count,
   * honoured only while that run is pending and never claimed (see `verbs/debounce-execution.ts`).
   */
  readonly debounces = new Map<string, { executionId: string; run: number; starts: number }>();
  /** Pause rules by id (expired ones included: reads leave them out). */
  readonly pauseRules = new Map<string, PauseRule>();
  /** Starts counted per rate-limit window: `<window start>\n<key>` → count (ended windows dropped). */
  readonly rateWindows = new Map<string, { end: number; count: number }>();
  nextSequence = 1;
}
