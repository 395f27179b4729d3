/**
 * # The `Scheduler` storage contract
 *
 * One interface every store implements (memory, SQLite, PostgreSQL, Redis). It is made of domain
 * verbs, each atomic as documented, so the engine never composes a read-modify-write itself.
 *
 * ## Glossary
 * - **execution**: one run of a task for one `executionId` (the idempotency key). Its row holds the
 *   input, status, result/error, `ctx.data()` blob, task attempt, wake time and lease.
 * - **step**: one entry of an execution's history, at a position in call order: a `ctx.step`,
 *   a sleep, an event wait, a captured value, or a parallel child. A completed step's result is
 *   returned on replay instead of running again.
 * - **child**: a parallel step (`ctx.scheduleStep`): a step row that is its own claimable unit of
 *   work, with its own lease. Settling the last unsettled child wakes the parent. A claimed child
 *   carries only the steps before its position, all that replaying the task up to its own
 *   `scheduleStep` reads, not the whole history.
 * - **child execution**: a full execution started by another (its parent) with `ctx.startChild`;
 *   its row names its parent (`parentId`). The parent records a step of kind `child` whose result is
 *   the child's id. Settling a child execution (complete, fail, cancel) wakes a parent parked on
 *   child executions in the same transaction. Cancelling a parent cancels its non-detached child
 *   executions, recursively.
 * - **lease**: the right to run an execution (or a child) until `leaseExpiresAt`, renewed by heartbeat.
 *   Granted by `claim`; an expired lease lets another worker claim the work.
 * - **fencing token**: the random token of one lease. Every worker write carries it and is rejected
 *   with `LeaseLostError` (changing nothing) unless the token still matches the stored one: after a
 *   takeover, a cancel, or a release, the old holder can no longer write.
 * - **wake time** (`runAt`): when a pending or waiting execution becomes due. Absent means only a
 *   push (an offered event) can wake it.
 * - **mailbox**: the FIFO queue of offered events per (execution, event name). Offers are kept until
 *   a wait consumes them; each wait consumes the oldest unconsumed one.
 *
 * ## Time
 * Stores never read a clock of their own for semantics: every time-sensitive verb receives `now`
 * from the engine, which reads `scheduler.clock` (injected at construction; the system clock by default).
 *
 * ## Hot path: a 3-step execution costs five round trips
 * `claim` (execution + its whole history in one read) → `saveStep` → `saveStep` → `saveStep` →
 * `completeExecution`. Heartbeats (`renewLease`) run beside it every `leaseDuration / 3`.
 * A replay after a wake-up reads history once, in `claim`, and writes nothing for replayed steps.
 * An event offered to an execution parked on it wakes it; the replayed wait then consumes it with
 * `awaitEvent`. Stores with the `answersOnOffer` capability save that round trip by consuming the
 * event in `offerEvent` itself.
 *
 * ## Errors
 * Stores translate driver errors at their boundary: a fenced write whose token does not match →
 * `LeaseLostError`; unreachable/corrupt storage → `StoreUnavailableError`; the rest as documented.
 */
import type { Clock } from "../clock.js";
import type { StoreCapabilities } from "./capabilities.js";
import type { ClientStore } from "./client-store.js";
import type { ChildLease, ExecutionLease, Lease } from "./lease.js";
import type { PauseRuleStore } from "./pause-rules.js";
import type { ExecutionDetails, ExecutionRecord, StepRecord } from "./records.js";
import type { ScheduleStore } from "./schedules.js";
import type { WorkerStore } from "./worker-store.js";
import type { WorkerRegistry } from "./workers.js";

/**
 * Its verbs are grouped by who calls them: the client's (`start`, `offerEvent`, operator actions,
 * reads) in `ClientStore` (`./client-store.ts`), the worker's (claim, step writes, completion) in
 * `WorkerStore` (`./worker-store.ts`), schedules in `ScheduleStore` (`./schedules.ts`), the worker
 * registry in `WorkerRegistry` (`./workers.ts`), pause rules in `PauseRuleStore`
 * (`./pause-rules.ts`); the verbs' input and output types are in the files beside them, by concept.
 */
export interface Scheduler extends ClientStore, WorkerStore, ScheduleStore, WorkerRegistry, PauseRuleStore {
  readonly capabilities: StoreCapabilities;
  /** The clock the engine reads `now` from for every call to this store. */
  readonly clock: Clock;

  /**
   * Creates or upgrades the schema. Idempotent; safe when several processes call it at once.
   * Returns the names of the migrations this call applied, oldest first (empty when up to date).
   */
  migrate(): Promise<string[]>;
  /** Cheap reachability check; throws `StoreUnavailableError`. */
  ping(): Promise<void>;
  /** Releases what the store opened (never a client or pool that was passed in). Idempotent. */
  close(): Promise<void>;
}

export type { ChildLease, ExecutionDetails, ExecutionLease, ExecutionRecord, Lease, StepRecord };
