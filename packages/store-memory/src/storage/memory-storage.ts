import { isTerminal } from "@zart/core";
import type {
  EventRecord,
  ExecutionDetails,
  ExecutionRecord,
  PauseRule,
  StepRecord,
  StoredSchedule,
  WorkerRecord,
} from "@zart/core/store";
import { RateWindows } from "./rate-windows.js";

/** An execution as stored: its public record plus the fencing token of the current lease. */
export interface ExecutionRow {
  record: ExecutionRecord;
  /** Fencing token of the current lease; absent while no worker holds it. */
  token?: string;
}

/** The lease on a parallel child, kept beside its step row (never in the `StepRecord`). */
export interface ChildLease {
  token: string;
  expiresAt: Date;
}

/** A step as stored: its public record plus, for a parallel child, its lease and due time. */
export interface StepRow {
  record: StepRecord;
  /** Parallel children only: the lease of the worker running it. */
  lease?: ChildLease;
  /** Parallel children only: when it last became claimable (dispatch or release); orders claims. */
  dueAt?: Date;
}

/** The execution run a debounce key points at (honoured only while that run is unclaimed). */
export interface DebounceHolder {
  executionId: string;
  run: number;
  starts: number;
}

/**
 * The state behind a `MemoryScheduler`: executions, the steps of each execution and the mailbox
 * of each execution. It is kept apart from the scheduler so that it outlives `close()`: a new
 * `MemoryScheduler` over the same `MemoryStorage` sees the same data, as a new connection to the
 * same database would. It lives in this process only.
 *
 * This class is plain data access with no rules; every rule (fencing, claims, wake-ups) lives in
 * the scheduler's verbs (`verbs/`). Rows are handed out by reference: only those should touch them.
 */
export class MemoryStorage {
  readonly #executions = new Map<string, ExecutionRow>();
  readonly #steps = new Map<string, Map<number, StepRow>>();
  readonly #events = new Map<string, EventRecord[]>();
  /** Ids that may still have due work; terminal ones are dropped lazily (a new run re-adds its id). */
  readonly #unfinished = new Set<string>();
  /** Schedules by id (live rows). */
  readonly schedules = new Map<string, StoredSchedule>();
  /** The worker registry, by worker id. */
  readonly workers = new Map<string, WorkerRecord>();
  /** Debounce holders by `<task>\n<key>`: the run that holds it and how many starts it collapsed. */
  readonly debounces = new Map<string, DebounceHolder>();
  /** Pause rules by id (expired ones included: reads leave them out). */
  readonly pauseRules = new Map<string, PauseRule>();
  /** Rate-limit (and gate) window counters. */
  readonly rateWindows = new RateWindows();
  /** Earlier runs of each id, oldest first, as frozen copies (see `Scheduler.getRun`). */
  readonly #runs = new Map<string, ExecutionDetails[]>();

  /** The row of `executionId`, or `undefined`. */
  execution(executionId: string): ExecutionRow | undefined {
    return this.#executions.get(executionId);
  }

  /** Every execution row, in insertion order. */
  executions(): IterableIterator<ExecutionRow> {
    return this.#executions.values();
  }

  /**
   * The rows that are not terminal. Claims walk these instead of every execution ever stored, so a
   * long history of finished executions costs nothing per claim.
   */
  *unfinishedExecutions(): IterableIterator<ExecutionRow> {
    for (const id of this.#unfinished) {
      const row = this.#executions.get(id);
      if (row && !isTerminal(row.record.status)) yield row;
      else this.#unfinished.delete(id);
    }
  }

  /** Stores a new execution with an empty history and an empty mailbox, replacing any previous one. */
  insertExecution(row: ExecutionRow): void {
    const id = row.record.executionId;
    this.#executions.set(id, row);
    this.#steps.set(id, new Map());
    this.#events.set(id, []);
    this.#unfinished.add(id);
  }

  /** Makes a terminal execution that became unfinished again (an operator's retry) claimable. */
  reopenExecution(executionId: string): void {
    this.#unfinished.add(executionId);
  }

  /** The archived runs of an id, oldest first (live); empty for an id without earlier runs. */
  runs(executionId: string): ExecutionDetails[] {
    return this.#runs.get(executionId) ?? [];
  }

  /** Ids with archived runs. */
  runIds(): IterableIterator<string> {
    return this.#runs.keys();
  }

  /** Keeps a finished run of an id (`details.execution.run` set). */
  archiveRun(details: ExecutionDetails): void {
    const id = details.execution.executionId;
    this.#runs.set(id, [...this.runs(id), details]);
  }

  /** Replaces the archived runs of an id (none left → forgotten). */
  keepRuns(executionId: string, runs: ExecutionDetails[]): void {
    if (runs.length === 0) this.#runs.delete(executionId);
    else this.#runs.set(executionId, runs);
  }

  /** Deletes an execution with its steps, events and archived runs. */
  deleteExecution(executionId: string): void {
    this.#runs.delete(executionId);
    this.#executions.delete(executionId);
    this.#steps.delete(executionId);
    this.#events.delete(executionId);
  }

  /** The step rows of an execution by position (live); empty for an unknown execution. */
  steps(executionId: string): Map<number, StepRow> {
    return this.#steps.get(executionId) ?? new Map();
  }

  /** The mailbox of an execution in offer order (live); empty for an unknown execution. */
  events(executionId: string): EventRecord[] {
    return this.#events.get(executionId) ?? [];
  }
}
