import { LeaseLostError, StoreUnavailableError, TransactionsNotSupportedError } from "../errors.js";
import type { RunObserver } from "../hooks/run-observer.js";
import type { AnyEventWaitOutcome, AwaitAnyEventInput } from "../scheduler/any-event.js";
import type { AwaitChildrenInput, ChildWaitOutcome, StartChildInput } from "../scheduler/child-executions.js";
import type { AwaitEventInput, EventWaitOutcome } from "../scheduler/events.js";
import type { Lease } from "../scheduler/lease.js";
import type {
  ChildOutcome,
  DispatchChildrenInput,
  DispatchOutcome,
  RetryChildInput,
} from "../scheduler/parallel-children.js";
import type { PauseRule } from "../scheduler/pause-rules.js";
import type { SerializedError, StepRecord } from "../scheduler/records.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import type { TransactionalStepInput } from "../scheduler/transactional-step.js";
import type { ExecutionPatch, StepWrite, SuspendInput } from "../scheduler/worker-writes.js";
import type { PendingPatch } from "./pending-patch.js";
import type { ParkReason, RunParking } from "./run-parking.js";

/** What the writes need of their run (a `RunState`). */
export interface WritingRun {
  readonly executionId: string;
  readonly observer: RunObserver;
  /** Set once the execution is bound to fail: user code writes nothing more. */
  readonly fatal: Error | undefined;
  park(reason: ParkReason): Promise<never>;
}

/**
 * Every store write of one run, fenced by its lease: the writes made while user code runs
 * (`saveStep`, `suspend`, `awaitEvent`, …) and the engine's final ones (`complete`, `fail`,
 * `retry`, `settleChild`). Each sends the execution fields pending in the run's patch; a lost
 * lease or an unreachable store parks the run.
 */
export class RunWrites {
  readonly #run: WritingRun;
  readonly #scheduler: Scheduler;
  readonly #lease: Lease;
  readonly #patch: PendingPatch;
  readonly #parking: RunParking;

  constructor(run: WritingRun, scheduler: Scheduler, lease: Lease, patch: PendingPatch, parking: RunParking) {
    this.#run = run;
    this.#scheduler = scheduler;
    this.#lease = lease;
    this.#patch = patch;
    this.#parking = parking;
  }

  #now(): Date {
    return this.#scheduler.clock.now();
  }

  /** Gives the lease back at a checkpoint (a graceful stop) and parks. */
  giveBack(): Promise<never> {
    return this.#write((_patch, now) => this.#scheduler.releaseLease(this.#lease, now)).then(() =>
      this.#run.park({ kind: "released" }),
    );
  }

  saveStep(step: StepWrite): Promise<void> {
    return this.#write((patch, now) => this.#scheduler.saveStep(this.#lease, step, patch, now));
  }

  /** `TransactionsNotSupportedError` unless the store can run `ctx.transaction` steps. */
  assertTransactionalSteps(): void {
    const scheduler = this.#scheduler;
    if (!scheduler.capabilities.transactionalSteps || !scheduler.runTransactionalStep) {
      throw new TransactionsNotSupportedError(scheduler.constructor.name, "step");
    }
  }

  /**
   * Runs a `ctx.transaction` body and writes its step in one store transaction. When the body (or
   * the transaction) fails, the execution fields it would have carried are sent with the next write.
   */
  runTransactionalStep(input: TransactionalStepInput): Promise<StepWrite> {
    const run = this.#scheduler.runTransactionalStep?.bind(this.#scheduler);
    if (!run) throw new Error("runTransactionalStep needs the transactionalSteps capability.");
    return this.#write(async (patch, now) => {
      try {
        return await run(this.#lease, input, patch, now);
      } catch (error) {
        this.#patch.restore(patch);
        throw error;
      }
    });
  }

  /** Writes `step` (if any) and parks the execution until `wakeAt`; never returns. */
  async suspend(input: SuspendInput): Promise<never> {
    await this.#write((patch, now) => this.#scheduler.suspend(this.#lease, input, patch, now));
    this.#run.observer.suspended(input.reason, input.step?.name, input.wakeAt);
    return this.#run.park({ kind: "suspended", wakeAt: input.wakeAt });
  }

  async awaitEvent(input: AwaitEventInput): Promise<EventWaitOutcome> {
    const outcome = await this.#write((patch, now) =>
      this.#scheduler.awaitEvent(this.#lease, input, patch, now),
    );
    if (outcome.outcome === "suspended") this.#run.observer.suspended("event", input.stepName, input.wakeAt);
    return outcome;
  }

  async awaitAnyEvent(input: AwaitAnyEventInput): Promise<AnyEventWaitOutcome> {
    const outcome = await this.#write((patch, now) =>
      this.#scheduler.awaitAnyEvent(this.#lease, input, patch, now),
    );
    if (outcome.outcome === "suspended") this.#run.observer.suspended("event", input.stepName, input.wakeAt);
    return outcome;
  }

  dispatchChildren(input: DispatchChildrenInput): Promise<DispatchOutcome> {
    return this.#write((patch, now) => this.#scheduler.dispatchChildren(this.#lease, input, patch, now));
  }

  startChildExecution(input: StartChildInput): Promise<StepRecord> {
    return this.#write((patch, now) => this.#scheduler.startChildExecution(this.#lease, input, patch, now));
  }

  awaitChildExecutions(input: AwaitChildrenInput): Promise<ChildWaitOutcome> {
    return this.#write((patch, now) => this.#scheduler.awaitChildExecutions(this.#lease, input, patch, now));
  }

  /**
   * Stops at a pause rule's checkpoint: under a step-less rule the lease is given back (the
   * execution waits `pending`, left out of claims); under a step rule `step` is recorded as
   * `paused` and the execution is paused (a worker resumes it once the rule stops applying).
   */
  async holdForRule(rule: PauseRule, step: StepWrite): Promise<never> {
    if (rule.stepName === undefined) {
      await this.#write((_patch, now) => this.#scheduler.releaseLease(this.#lease, now));
    } else {
      await this.saveStep(step);
      await this.#write((_patch, now) => this.#scheduler.pauseExecution(this.#run.executionId, now));
    }
    return this.#run.park({ kind: "released" });
  }

  /** Gives the lease back now and parks (a worker's stop that does not wait for a checkpoint). */
  async release(): Promise<void> {
    await this.#write((_patch, now) => this.#scheduler.releaseLease(this.#lease, now)).catch(() => undefined);
    void this.#run.park({ kind: "released" });
  }

  // ── the engine's final writes ───────────────────────────────────────────────────────────────

  complete(result: string | undefined): Promise<ParkReason | undefined> {
    return this.#finalWrite((patch, now) =>
      this.#scheduler.completeExecution(this.#lease, result === undefined ? {} : { result }, patch, now),
    );
  }

  fail(error: SerializedError): Promise<ParkReason | undefined> {
    return this.#finalWrite((patch, now) =>
      this.#scheduler.failExecution(this.#lease, { error }, patch, now),
    );
  }

  retry(error: SerializedError, runAt: Date): Promise<ParkReason | undefined> {
    return this.#finalWrite((patch, now) =>
      this.#scheduler.retryExecution(this.#lease, { error, runAt }, patch, now),
    );
  }

  settleChild(outcome: ChildOutcome): Promise<ParkReason | undefined> {
    const lease = this.#lease;
    if (lease.kind !== "child") throw new Error("settleChild needs a child run's lease.");
    return this.#finalWrite((_patch, now) => this.#scheduler.settleChild(lease, outcome, now));
  }

  /** Parks a child run's failed attempt until its backoff ends (`Scheduler.retryChild`). */
  retryChild(input: RetryChildInput): Promise<ParkReason | undefined> {
    const lease = this.#lease;
    if (lease.kind !== "child") throw new Error("retryChild needs a child run's lease.");
    return this.#finalWrite((_patch, now) => this.#scheduler.retryChild(lease, input, now));
  }

  /**
   * Runs a fenced store write; a lost lease or an unreachable store parks the run. Promise chains,
   * not `async`/`await`: each await is one more promise, which the async hooks of
   * `AsyncLocalStorage` make costly on Node 20.
   */
  #write<T>(operation: (patch: ExecutionPatch, now: Date) => Promise<T>): Promise<T> {
    // A child run parks its replay (`replay-end`) while its body still runs and must settle.
    const parked = this.#parking.reason;
    if (parked && parked.kind !== "replay-end") return this.#run.park(parked);
    // Once the execution is bound to fail, user code writes nothing more (only the engine's fail).
    if (this.#run.fatal) return Promise.reject(this.#run.fatal);
    return attempt(() => operation(this.#patch.take(), this.#now())).catch((error: unknown) => {
      if (error instanceof LeaseLostError || error instanceof StoreUnavailableError) {
        return this.#run.park({ kind: "lost", error });
      }
      throw error;
    });
  }

  /**
   * A fenced write made by the engine itself (complete, fail, retry, settle). Unlike `#write` it
   * always returns: `undefined` when written, the park reason when the run had already stopped or
   * the write found the lease lost.
   */
  #finalWrite(
    operation: (patch: ExecutionPatch, now: Date) => Promise<unknown>,
  ): Promise<ParkReason | undefined> {
    const parked = this.#parking.reason;
    if (parked && parked.kind !== "replay-end") return Promise.resolve(parked);
    this.#parking.freeSlot();
    return attempt(() => operation(this.#patch.take(), this.#now())).then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof LeaseLostError || error instanceof StoreUnavailableError) {
          void this.#run.park({ kind: "lost", error });
          return this.#parking.reason;
        }
        throw error;
      },
    );
  }
}

/** `operation()`, a synchronous throw turned into a rejection (as inside an `async` function). */
function attempt<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return operation();
  } catch (error) {
    return Promise.reject(error);
  }
}
