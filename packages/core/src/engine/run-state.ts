import { LeaseLostError, TaskTimeoutError } from "../errors.js";
import type { RunObserver } from "../hooks/run-observer.js";
import type { RateTokenOutcome, RateTokenRequest } from "../scheduler/claims.js";
import type { Lease } from "../scheduler/lease.js";
import type { PauseRule } from "../scheduler/pause-rules.js";
import type { StepRecord } from "../scheduler/records.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import type { StepKind } from "../scheduler/vocabularies.js";
import type { RegisteredTask, TaskRegistry } from "../task/task-registry.js";
import { assertStepName, HistoryCursor, type Slot } from "./history-cursor.js";
import { OperationGuard } from "./operation-guard.js";
import type { ScheduledBody } from "./parallel-operations.js";
import { PendingPatch } from "./pending-patch.js";
import { type ParkReason, RunParking } from "./run-parking.js";
import { RunWrites } from "./run-writes.js";

/** The `childBody` of a run that is not a child's: it never gets one. */
const NEVER = new Promise<never>(() => {});

export interface RunStateOptions {
  scheduler: Scheduler;
  task: RegisteredTask;
  lease: Lease;
  executionId: string;
  attempt: number;
  input: unknown;
  steps: StepRecord[];
  dataText: string | undefined;
  timeoutAt: Date | undefined;
  /** True when `timeoutAt` was computed at this claim and must be persisted with the first write. */
  timeoutIsNew: boolean;
  maxPayloadBytes: number;
  /** The worker's registry (child executions started by name validate their input with it). */
  registry?: TaskRegistry;
  /** For a child run: the position of the parallel step to execute (see {@link RunState.childPosition}). */
  childPosition?: number;
  /** Reports step attempts and suspensions to the worker's hooks. */
  observer: RunObserver;
  /** The execution's persisted trace context, passed on to the child executions it starts. */
  traceContext?: string;
  /** The worker's pause rules: the one holding `taskName` before `stepName`, if any. */
  pauseRuleAt?: (taskName: string, stepName: string) => PauseRule | undefined;
}

/**
 * The state of one run of a claimed unit, owned by its `ExecutionRun`: the lease, the history read
 * at claim time, the next position, the dirty execution fields to send with the next write, and the
 * run's `AbortSignal`. Context operations change it only through its methods, and every store write
 * goes through its `writes` (`saveStep`, `suspend`, `awaitEvent`, …, `complete`, `fail`).
 *
 * Parking: when the run must stop (suspended, lease lost, released), `park()` settles `parked` and
 * hands user code a promise that never settles, so no `try/catch` in user code can swallow the
 * suspension; the engine races the task's promise against `parked` and drops the run.
 */
export class RunState {
  readonly task: RegisteredTask;
  readonly executionId: string;
  readonly attempt: number;
  readonly input: unknown;
  readonly timeoutAt: Date | undefined;
  readonly maxPayloadBytes: number;
  /** The worker's registry: `ctx.startChild(name)` validates the input with that task's schema. */
  readonly registry: TaskRegistry | undefined;
  /**
   * Set for a child run: the position of the parallel step to execute. Everything else is replayed
   * from history; live work other than the child itself parks the run (`replay-end`). Its history
   * ends at this position (the claim carries no later step): past its `scheduleStep`, the first
   * operation that needs a later record parks the run.
   */
  readonly childPosition: number | undefined;
  /** Resolved when a child run reaches its own `scheduleStep` call, with the body to execute. */
  readonly childBody: Promise<ScheduledBody>;
  readonly observer: RunObserver;
  readonly traceContext: string | undefined;

  readonly #scheduler: Scheduler;
  readonly #abort = new AbortController();
  #fatal: Error | undefined;
  #stopRequested = false;
  #resolveChildBody!: (body: ScheduledBody) => void;
  readonly #cursor: HistoryCursor;
  /** Enforces one operation at a time, none nested, every parallel step awaited. */
  readonly operations = new OperationGuard((error) => this.failFatally(error));
  readonly #patch: PendingPatch;
  readonly #parking = new RunParking();
  /** Every store write of this run (fenced by its lease). */
  readonly writes: RunWrites;
  readonly #pauseRuleAt: RunStateOptions["pauseRuleAt"];

  constructor(options: RunStateOptions) {
    this.#scheduler = options.scheduler;
    this.task = options.task;
    this.executionId = options.executionId;
    this.attempt = options.attempt;
    this.input = options.input;
    this.timeoutAt = options.timeoutAt;
    this.maxPayloadBytes = options.maxPayloadBytes;
    this.childPosition = options.childPosition;
    this.observer = options.observer;
    this.traceContext = options.traceContext;
    this.registry = options.registry;
    this.#pauseRuleAt = options.pauseRuleAt;
    this.#cursor = new HistoryCursor(options.steps, options.task);
    this.#patch = new PendingPatch(options.dataText, options.timeoutAt, options.timeoutIsNew);
    this.writes = new RunWrites(this, options.scheduler, options.lease, this.#patch, this.#parking);
    this.childBody =
      options.childPosition === undefined
        ? NEVER
        : new Promise((resolve) => {
            this.#resolveChildBody = resolve;
          });
  }

  /** The history read at claim time, by position. */
  get history(): ReadonlyMap<number, StepRecord> {
    return this.#cursor.history;
  }

  /**
   * Settles once the run no longer needs a worker slot: it parked, or user code is over and only
   * the engine's final write (complete, fail, retry, settle) is in flight. The worker then claims
   * the next unit while that write commits.
   */
  get doneWithSlot(): Promise<void> {
    return this.#parking.doneWithSlot;
  }

  now(): Date {
    return this.#scheduler.clock.now();
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Set when something fails the execution whatever user code does next (non-determinism, timeout). */
  get fatal(): Error | undefined {
    return this.#fatal;
  }

  get parked(): Promise<ParkReason> {
    return this.#parking.parked;
  }

  get isParked(): boolean {
    return this.#parking.reason !== undefined;
  }

  get replayOnly(): boolean {
    return this.childPosition !== undefined;
  }

  get dataText(): string | undefined {
    return this.#patch.dataText;
  }

  setDataText(text: string | undefined): void {
    this.#patch.setDataText(text);
  }

  /** The error of a passed task deadline. */
  timeoutError(): TaskTimeoutError {
    return new TaskTimeoutError(
      `Execution "${this.executionId}" passed its task timeout (${this.timeoutAt?.toISOString()}).`,
    );
  }

  /** Records `error` as the execution's failure, whatever user code does next, and returns it. */
  failFatally(error: Error): Error {
    this.#fatal ??= error;
    return this.#fatal;
  }

  /** Aborts `ctx.signal` with `reason` (once). */
  abort(reason: Error): void {
    if (!this.#abort.signal.aborted) this.#abort.abort(reason);
  }

  /** A graceful stop: the run gives its lease back at its next operation. */
  requestStop(): void {
    this.#stopRequested = true;
  }

  /**
   * Claims the next history position for an operation named `name`. Repeated names get an
   * occurrence suffix (`notify`, `notify#1`). Replay must meet the same names in the same order.
   * A call inside a step body, or beside another operation still in flight, fails the execution
   * (see {@link OperationGuard}); an awaited operation ends with `operations.leave()`.
   */
  claimSlot(name: string, kind: StepKind): Slot {
    assertStepName(name);
    this.operations.enter(name, kind !== "parallel");
    const slot = this.#cursor.next(name, kind);
    if (slot instanceof Error) throw this.failFatally(slot);
    if (kind === "parallel") this.operations.scheduled(slot.position, slot.stepName);
    return slot;
  }

  /** The history record at the position the next operation would claim (for `ctx.patched`). */
  nextRecorded(): StepRecord | undefined {
    return this.#cursor.nextRecorded();
  }

  /** Hands a child run its body when the replay reaches its own `scheduleStep`. */
  offerChildBody(position: number, body: ScheduledBody): void {
    if (this.childPosition === position) this.#resolveChildBody(body);
  }

  /**
   * Called at the start of every context operation: a parked run stays parked, a stopping worker
   * gives the lease back here (a checkpoint), and a passed task deadline fails the execution.
   * Returns a promise only when there is something to wait for (no promise on the hot path).
   */
  enterOperation(): Promise<void> | undefined {
    const parked = this.#parking.reason;
    if (parked) return this.park(parked);
    if (this.#stopRequested) {
      return this.writes.giveBack();
    }
    if (this.timeoutAt && this.now() >= this.timeoutAt) throw this.failFatally(this.timeoutError());
    return undefined;
  }

  /** Takes a token of a gate's window (`ctx.gate`); not fenced: the pass is recorded after it. */
  takeRateToken(request: RateTokenRequest): Promise<RateTokenOutcome> {
    return this.#scheduler.takeRateToken(request, this.now());
  }

  /** The pause rule holding this execution before step `stepName`, if any (a child run: none). */
  pauseRuleAt(stepName: string): PauseRule | undefined {
    return this.childPosition === undefined ? this.#pauseRuleAt?.(this.task.name, stepName) : undefined;
  }

  /** Stops the run for good: settles `parked` once and returns a promise that never settles. */
  park(reason: ParkReason): Promise<never> {
    if (this.#parking.park(reason) && reason.kind === "lost") {
      this.abort(reason.error instanceof Error ? reason.error : new LeaseLostError(this.executionId));
    }
    return new Promise<never>(() => {});
  }
}
