import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { ExecutionAlreadyExistsError, StoreUnavailableError } from "./errors.js";
import type { NewExecution } from "./scheduler/client-verbs.js";
import type { ExecutionRecord } from "./scheduler/records.js";
import type { Scheduler } from "./scheduler/scheduler.js";

/** What a start answers its caller (the fields of the created row `start` returns). */
export type StartedExecution = Pick<
  ExecutionRecord,
  "executionId" | "taskName" | "version" | "status" | "scheduledAt" | "createdAt"
>;

/** The most starts one `createExecutions` call carries. */
const MAX_BATCH = 1_000;
/** The most store calls in flight at once (each on its own connection where the store pools them). */
const MAX_IN_FLIGHT = 2;

/** A start's outcome: its row, or what its caller is rejected with. */
type Outcome = { started: StartedExecution } | { error: unknown };

interface PendingStart {
  input: NewExecution;
  now: Date;
  resolve: (started: StartedExecution) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces the plain starts of one process into `createExecutions` calls, by natural batching
 * (as the Postgres store coalesces a worker's step writes): a start made while fewer than
 * `MAX_IN_FLIGHT` calls are in flight is sent at once (after the current microtask, so starts of
 * one tick share it); starts made while all are in flight queue and go together once one returns.
 * No timer, so a lone start is never delayed; under load one commit serves many starts.
 *
 * Each caller gets what it would get alone: a batch of one is a plain `createExecution`; in a
 * larger batch an id answered `exists` rejects with `ExecutionAlreadyExistsError`, and a created
 * one resolves with the row `createExecutions` wrote (`pending`, due at its `runAt`, created at the
 * batch's `now`). Two starts of one id never share a batch nor fly together: the later one goes
 * with the next batch, after the earlier one was written, so it meets that execution as it would
 * alone. A batch the store refuses as a whole (a value it rejects) is re-sent one start per call,
 * so only the offending start fails; `StoreUnavailableError` fails the batch, as it would each.
 */
export class StartBatcher {
  readonly #scheduler: Scheduler;
  #queue: PendingStart[] = [];
  /** The ids of the starts in flight. */
  readonly #sending = new Set<string>();
  #inFlight = 0;
  #pumpQueued = false;

  constructor(scheduler: Scheduler) {
    this.#scheduler = scheduler;
  }

  /** Queues the start for the next batch; settles with its own outcome. */
  start(input: NewExecution, now: Date): Promise<StartedExecution> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ input, now, resolve, reject });
      if (this.#pumpQueued) return;
      this.#pumpQueued = true;
      queueMicrotask(() => {
        this.#pumpQueued = false;
        this.#pump();
      });
    });
  }

  #pump(): void {
    while (this.#inFlight < MAX_IN_FLIGHT && this.#queue.length > 0) {
      const batch = this.#take();
      if (batch.length === 0) return;
      void this.#send(batch);
    }
  }

  /** The oldest queued starts whose id is not in flight, one per id, at most `MAX_BATCH`. */
  #take(): PendingStart[] {
    const batch: PendingStart[] = [];
    const ids = new Set<string>();
    const rest: PendingStart[] = [];
    for (const pending of this.#queue) {
      const id = pending.input.executionId;
      if (batch.length < MAX_BATCH && !ids.has(id) && !this.#sending.has(id)) {
        ids.add(id);
        batch.push(pending);
      } else {
        rest.push(pending);
      }
    }
    this.#queue = rest;
    return batch;
  }

  async #send(batch: PendingStart[]): Promise<void> {
    this.#inFlight++;
    for (const pending of batch) this.#sending.add(pending.input.executionId);
    const outcomes = await this.#write(batch);
    for (const [i, pending] of batch.entries()) {
      this.#sending.delete(pending.input.executionId);
      const outcome = outcomes[i] as Outcome;
      if ("started" in outcome) pending.resolve(outcome.started);
      else pending.reject(outcome.error);
    }
    // One turn of the event loop before the flight is used again: callers just answered often
    // start again within it and then join the next batch instead of going alone.
    await yieldToEventLoop();
    this.#inFlight--;
    this.#pump();
  }

  /** Each start's outcome, in batch order. */
  async #write(batch: PendingStart[]): Promise<Outcome[]> {
    if (batch.length === 1) {
      const [{ input, now }] = batch as [PendingStart];
      return [
        await this.#scheduler.createExecution(input, now).then(
          (started) => ({ started }),
          (error: unknown) => ({ error }),
        ),
      ];
    }
    const now = this.#scheduler.clock.now();
    try {
      const outcomes = await this.#scheduler.createExecutions(
        batch.map((pending) => pending.input),
        now,
      );
      return batch.map(({ input }, i) =>
        outcomes[i] === "created"
          ? { started: created(input, now) }
          : { error: new ExecutionAlreadyExistsError(input.executionId) },
      );
    } catch (error) {
      if (error instanceof StoreUnavailableError) return batch.map(() => ({ error }));
      return Promise.all(batch.map(async (pending) => (await this.#write([pending]))[0] as Outcome));
    }
  }
}

/** The row `createExecutions` wrote for `input`. */
function created(input: NewExecution, now: Date): StartedExecution {
  return {
    executionId: input.executionId,
    taskName: input.taskName,
    ...(input.version === undefined ? {} : { version: input.version }),
    status: "pending",
    scheduledAt: new Date(input.runAt),
    createdAt: new Date(now),
  };
}

const batchers = new WeakMap<Scheduler, StartBatcher>();

/** The batcher of `scheduler`, shared by every client of that store instance in this process. */
export function startBatcherOf(scheduler: Scheduler): StartBatcher {
  let batcher = batchers.get(scheduler);
  if (batcher === undefined) {
    batcher = new StartBatcher(scheduler);
    batchers.set(scheduler, batcher);
  }
  return batcher;
}
