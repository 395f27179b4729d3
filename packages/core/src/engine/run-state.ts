import { LeaseLostError, NonDeterminismError, StoreUnavailableError, TaskTimeoutError } from "../errors.js";
import type { StepRecord } from "../scheduler/records.js";
import type { ExecutionPatch, Lease, Scheduler } from "../scheduler/scheduler.js";
import type { StepKind } from "../scheduler/vocabularies.js";
import type { RegisteredTask, TaskRegistry } from "../task/task-registry.js";
import { assertId } from "../validation.js";
import type { ScheduledBody } from "./parallel-operations.js";

/** Why a run stopped without finishing: it parked durably, lost its lease, or gave the lease back. */
export type ParkReason =
  | { kind: "suspended"; wakeAt?: Date }
  | { kind: "lost"; error: unknown }
  | { kind: "released" }
  /** A child run replayed up to an operation that has no history: it may not run live work. */
  | { kind: "replay-end" };

/** A slot in the history claimed by one context operation. */
export interface Slot {
  position: number;
  stepName: string;
  recorded?: StepRecord;
}

/**
 * The mutable state of one run of a claimed unit: its lease, the history read at claim time, the
 * next position, and the dirty execution fields to send with the next write.
 *
 * Parking: when the run must stop (suspended, lease lost, released), `park()` settles `parked` and
 * hands user code a promise that never settles, so no `try/catch` in user code can swallow the
 * suspension; the engine races the task's promise against `parked` and drops the run.
 */
export class RunState {
  readonly history: Map<number, StepRecord>;
  readonly abort = new AbortController();
  /** Set when something fails the execution whatever user code does next (non-determinism, timeout). */
  fatal: Error | undefined;
  stopRequested = false;
  /** The worker's registry: `ctx.startChild(name)` validates the input with that task's schema. */
  registry: TaskRegistry | undefined;
  /**
   * Set for a child run: the position of the parallel step to execute. Everything else is replayed
   * from history; live work other than the child itself parks the run (`replay-end`). Its history
   * ends at this position (the claim carries no later step): past its `scheduleStep`, the first
   * operation that needs a later record parks the run.
   */
  childPosition: number | undefined;
  /** Resolved when a child run reaches its own `scheduleStep` call, with the body to execute. */
  readonly childBody: Promise<ScheduledBody>;
  resolveChildBody!: (body: ScheduledBody) => void;

  #nextPosition = 0;
  readonly #occurrences = new Map<string, number>();
  #dataText: string | undefined;
  #dataDirty = false;
  #timeoutDirty: boolean;
  #parkReason: ParkReason | undefined;
  readonly #parked: Promise<ParkReason>;
  #resolveParked!: (reason: ParkReason) => void;
  readonly #doneWithSlot: Promise<void>;
  #resolveDoneWithSlot!: () => void;

  constructor(
    readonly scheduler: Scheduler,
    readonly task: RegisteredTask,
    readonly lease: Lease,
    readonly executionId: string,
    readonly attempt: number,
    readonly input: unknown,
    steps: StepRecord[],
    dataText: string | undefined,
    readonly timeoutAt: Date | undefined,
    timeoutIsNew: boolean,
    readonly maxPayloadBytes: number,
  ) {
    this.history = new Map(steps.map((step) => [step.position, step]));
    this.#dataText = dataText;
    this.#timeoutDirty = timeoutIsNew;
    this.childBody = new Promise((resolve) => {
      this.resolveChildBody = resolve;
    });
    this.#parked = new Promise((resolve) => {
      this.#resolveParked = resolve;
    });
    this.#doneWithSlot = new Promise((resolve) => {
      this.#resolveDoneWithSlot = resolve;
    });
  }

  /**
   * Settles once the run no longer needs a worker slot: it parked, or user code is over and only
   * the engine's final write (complete, fail, retry, settle) is in flight. The worker then claims
   * the next unit while that write commits.
   */
  get doneWithSlot(): Promise<void> {
    return this.#doneWithSlot;
  }

  now(): Date {
    return this.scheduler.clock.now();
  }

  get parked(): Promise<ParkReason> {
    return this.#parked;
  }

  get isParked(): boolean {
    return this.#parkReason !== undefined;
  }

  get replayOnly(): boolean {
    return this.childPosition !== undefined;
  }

  get dataText(): string | undefined {
    return this.#dataText;
  }

  setDataText(text: string | undefined): void {
    this.#dataText = text;
    this.#dataDirty = true;
  }

  /**
   * Claims the next history position for an operation named `name`. Repeated names get an
   * occurrence suffix (`notify`, `notify#1`). Replay must meet the same names in the same order.
   */
  claimSlot(name: string, kind: StepKind): Slot {
    assertId(name, "step name");
    const occurrence = this.#occurrences.get(name) ?? 0;
    this.#occurrences.set(name, occurrence + 1);
    const stepName = occurrence === 0 ? name : `${name}#${occurrence}`;
    const position = this.#nextPosition++;
    const recorded = this.history.get(position);
    if (recorded && (recorded.name !== stepName || recorded.kind !== kind)) {
      this.fatal = new NonDeterminismError(
        `Replay diverged at position ${position}: the history has ${recorded.kind} "${recorded.name}" but the code now calls ${kind} "${stepName}". Keep step order stable for running executions.`,
        { details: { position, recorded: recorded.name, called: stepName } },
      );
      throw this.fatal;
    }
    return recorded ? { position, stepName, recorded } : { position, stepName };
  }

  /**
   * Called at the start of every context operation: a parked run stays parked, a stopping worker
   * gives the lease back here (a checkpoint), and a passed task deadline fails the execution.
   */
  async enterOperation(): Promise<void> {
    if (this.#parkReason) return this.park(this.#parkReason);
    if (this.stopRequested) {
      await this.write((_patch, now) => this.scheduler.releaseLease(this.lease, now));
      return this.park({ kind: "released" });
    }
    if (this.timeoutAt && this.now() >= this.timeoutAt) {
      this.fatal = new TaskTimeoutError(
        `Execution "${this.executionId}" passed its task timeout (${this.timeoutAt.toISOString()}).`,
      );
      throw this.fatal;
    }
  }

  /** Execution fields to send with the next write; clears the dirty flags. */
  takePatch(): ExecutionPatch {
    const patch: ExecutionPatch = {};
    if (this.#dataDirty && this.#dataText !== undefined) patch.data = this.#dataText;
    if (this.#timeoutDirty && this.timeoutAt) patch.timeoutAt = this.timeoutAt;
    this.#dataDirty = false;
    this.#timeoutDirty = false;
    return patch;
  }

  /** Runs a fenced store write; a lost lease or an unreachable store parks the run. */
  async write<T>(operation: (patch: ExecutionPatch, now: Date) => Promise<T>): Promise<T> {
    // A child run parks its replay (`replay-end`) while its body still runs and must settle.
    if (this.#parkReason && this.#parkReason.kind !== "replay-end") return this.park(this.#parkReason);
    try {
      return await operation(this.takePatch(), this.now());
    } catch (error) {
      if (error instanceof LeaseLostError || error instanceof StoreUnavailableError) {
        return this.park({ kind: "lost", error });
      }
      throw error;
    }
  }

  /**
   * A fenced write made by the engine itself (complete, fail, retry, settle, release). Unlike
   * {@link write} it always returns: `undefined` when written, the park reason when the run had
   * already stopped or the write found the lease lost.
   */
  async finalWrite(
    operation: (patch: ExecutionPatch, now: Date) => Promise<unknown>,
  ): Promise<ParkReason | undefined> {
    if (this.#parkReason && this.#parkReason.kind !== "replay-end") return this.#parkReason;
    this.#resolveDoneWithSlot();
    try {
      await operation(this.takePatch(), this.now());
      return undefined;
    } catch (error) {
      if (error instanceof LeaseLostError || error instanceof StoreUnavailableError) {
        void this.park({ kind: "lost", error });
        return this.#parkReason;
      }
      throw error;
    }
  }

  /** Stops the run for good: settles `parked` once and returns a promise that never settles. */
  park(reason: ParkReason): Promise<never> {
    if (!this.#parkReason) {
      this.#parkReason = reason;
      if (reason.kind === "lost" && !this.abort.signal.aborted) this.abort.abort(reason.error);
      this.#resolveParked(reason);
      if (reason.kind !== "replay-end") this.#resolveDoneWithSlot();
    }
    return new Promise<never>(() => {});
  }
}
