import { type Duration, toMillis } from "../duration.js";
import { fromJsonText, toJsonText } from "../json.js";
import type { RetryConfig } from "../retry.js";
import type { EventSchemas } from "../task/define-task.js";
import type { InferOutput, StandardSchema } from "../validation.js";
import { type ReceivedEvent, waitForAnyEvent } from "./any-event-wait.js";
import {
  type ChildHandle,
  type ChildResults,
  type ChildTask,
  type StartChildOptions,
  startChild,
  waitForChildren,
} from "./child-operations.js";
import { type GateOptions, passGate } from "./gate-operation.js";
import {
  type HandleResults,
  type HandleSettled,
  type StepHandle,
  scheduleStep,
  waitAll,
  waitAllSettled,
} from "./parallel-operations.js";
import { deprecatePatch, patched } from "./patch-operations.js";
import type { RunState } from "./run-state.js";
import { runStep } from "./step-operation.js";
import { runTransaction, type TransactionOptions } from "./transaction-operation.js";
import { sleepUntil, waitForEvent } from "./wait-operations.js";

export interface WaitForAnyEventOptions {
  /** Give up after this long (a persisted deadline); absent = wait forever. */
  timeout?: Duration;
  /** Validates each event's payload, by event name (zod or any Standard Schema). */
  schemas?: Record<string, StandardSchema>;
}

export interface StepOptions {
  /** Retry policy for the step (default: none; a failure is final for this task attempt). */
  retry?: RetryConfig;
}

export type { TransactionOptions };

export interface WaitForEventOptions<T> {
  /** Give up after this long (a persisted deadline); absent = wait forever. */
  timeout?: Duration;
  /** Validates the payload (zod or any Standard Schema). */
  schema?: StandardSchema<T>;
}

/**
 * The durable API a task's `run(ctx, data)` receives. Every method that takes a `name` records an
 * entry in the execution's history; names repeat freely (`notify`, `notify#1`, …) but their order
 * must stay stable while executions are in flight.
 */
// biome-ignore lint/complexity/noBannedTypes: `{}` = a task that declares no events
export class TaskContext<Events extends EventSchemas = {}> {
  readonly #state: RunState;

  constructor(state: RunState) {
    this.#state = state;
  }

  get executionId(): string {
    return this.#state.executionId;
  }

  get taskName(): string {
    return this.#state.task.name;
  }

  /** Task-level attempt, 0-based. */
  get attempt(): number {
    return this.#state.attempt;
  }

  get isRetry(): boolean {
    return this.#state.attempt > 0;
  }

  /** Aborted when the execution is cancelled, times out, or this worker loses its lease. */
  get signal(): AbortSignal {
    return this.#state.signal;
  }

  /**
   * Runs `fn` once and persists its result before returning it; on replay returns the stored result
   * without calling `fn`. The value is the JSON round-trip of `fn`'s result, on the first run too.
   */
  step<T>(name: string, fn: () => Promise<T> | T, options: StepOptions = {}): Promise<T> {
    return runStep(this.#state, this, name, fn, options.retry);
  }

  /** `step` with a retry policy: failed attempts are persisted and the backoff is durable. */
  stepWithRetry<T>(name: string, retry: RetryConfig, fn: () => Promise<T> | T): Promise<T> {
    return runStep(this.#state, this, name, fn, retry);
  }

  /**
   * A step whose body runs inside a transaction on the store's database (Postgres, SQLite) and whose
   * result row commits in that same transaction: the body's writes through `tx` happen exactly
   * once, whatever crashes. `tx` is the store's handle on the open transaction (a `pg` client inside
   * `BEGIN`, a drizzle transaction, the better-sqlite3 handle; see the store's docs); writes that
   * escape it (another connection, an HTTP call) are outside the guarantee. On replay returns the
   * stored result without running `fn`. Other stores: `TransactionsNotSupportedError`.
   */
  transaction<T, Tx = unknown>(
    name: string,
    fn: (tx: Tx) => Promise<T> | T,
    options: TransactionOptions = {},
  ): Promise<T> {
    return runTransaction(this.#state, this, name, fn, options);
  }

  /**
   * A shared, durable rate-limit gate: waits until the budget `name` (per `options.key`) has room
   * for one more pass in its current fixed window (`limit` per `period`, windows aligned to the
   * epoch), counted in the store across every execution and worker. While the window is full the
   * execution parks (no worker held) and wakes at the window's end. A pass is recorded in the
   * history: a replay does not take another. Bad options → `ValidationError`.
   *
   * ```ts
   * await ctx.gate("openai", { limit: 500, period: "1m" });
   * const answer = await ctx.step("ask", () => openai.chat(prompt));
   * ```
   */
  gate(name: string, options: GateOptions): Promise<void> {
    return passGate(this.#state, name, options);
  }

  /** Durable sleep: the execution is released and resumes after `duration`. */
  sleep(name: string, duration: Duration): Promise<void> {
    const ms = toMillis(duration, `sleep "${name}" duration`);
    return sleepUntil(this.#state, name, new Date(this.#state.now().getTime() + ms));
  }

  /** Durable sleep until `date`. */
  sleepUntil(name: string, date: Date): Promise<void> {
    return sleepUntil(this.#state, name, date);
  }

  /**
   * Resolves with the next `name` event's payload; `EventTimeoutError` after `timeout`. A payload
   * that fails the schema (the task's `events` declaration, or `options.schema`) throws
   * `ValidationError` here, and that is the wait's recorded outcome.
   */
  waitForEvent<K extends keyof Events & string>(
    name: K,
    options?: { timeout?: Duration },
  ): Promise<InferOutput<Events[K]>>;
  waitForEvent<T = unknown>(name: string, options?: WaitForEventOptions<T>): Promise<T>;
  waitForEvent<T>(name: string, options: WaitForEventOptions<T> = {}): Promise<T> {
    const timeoutMs =
      options.timeout === undefined ? undefined : toMillis(options.timeout, `wait "${name}" timeout`);
    const schema = options.schema ?? (this.#state.task.events?.[name] as StandardSchema<T> | undefined);
    return waitForEvent(this.#state, name, timeoutMs, schema);
  }

  /**
   * Resolves with `{ name, payload }` of the first event offered among `names` (offer order decides,
   * across names); consumes that event only, the others stay in the mailbox. `EventTimeoutError`
   * after `timeout`. Payloads are validated as for `waitForEvent` (the task's `events`
   * declaration, or `options.schemas` by name). Replay returns the same event.
   */
  waitForAnyEvent<const K extends keyof Events & string>(
    names: readonly K[],
    options?: { timeout?: Duration },
  ): Promise<{ [N in K]: ReceivedEvent<N, InferOutput<Events[N]>> }[K]>;
  waitForAnyEvent<T = unknown>(
    names: readonly string[],
    options?: WaitForAnyEventOptions,
  ): Promise<ReceivedEvent<string, T>>;
  waitForAnyEvent(names: readonly string[], options: WaitForAnyEventOptions = {}): Promise<ReceivedEvent> {
    const timeoutMs =
      options.timeout === undefined ? undefined : toMillis(options.timeout, "waitForAnyEvent timeout");
    const declared: Record<string, StandardSchema | undefined> = this.#state.task.events ?? {};
    return waitForAnyEvent(this.#state, names, timeoutMs, { ...declared, ...options.schemas });
  }

  /** Schedules a parallel step: its own unit of work, runnable by any worker. Await it with `waitAll`. */
  scheduleStep<T>(name: string, fn: () => Promise<T> | T, options: StepOptions = {}): StepHandle<T> {
    return scheduleStep(this.#state, name, fn, options.retry);
  }

  /** Results in handle order; `StepFailedError` listing the failed children after all settle. */
  waitAll<const H extends readonly StepHandle[]>(handles: H): Promise<HandleResults<H>> {
    return waitAll(this.#state, handles);
  }

  /** Every child's outcome in handle order; never throws for a failed child. */
  waitAllSettled<const H extends readonly StepHandle[]>(handles: H): Promise<HandleSettled<H>> {
    return waitAllSettled(this.#state, handles);
  }

  /**
   * Starts a child execution of `task` (a definition or a registered name) with `data`, exactly once
   * for this call position; replays return the same handle. `ValidationError` here when `data` fails
   * the child's input schema (nothing started).
   */
  startChild<D, O>(task: ChildTask<D, O>, data: D, options: StartChildOptions = {}): Promise<ChildHandle<O>> {
    return startChild(this.#state, task, data, options);
  }

  /**
   * The child's result once it is terminal (the execution is released while it waits);
   * `ChildExecutionFailedError` (cause = the child's error) or `ChildExecutionCancelledError`.
   */
  async waitForChild<O>(handle: ChildHandle<O>): Promise<O> {
    const [result] = await waitForChildren(this.#state, [handle] as const);
    return result;
  }

  /** Waits for several children at once: results in handle order, or the first failure in handle order. */
  waitForChildren<const H extends readonly ChildHandle[]>(handles: H): Promise<ChildResults<H>> {
    return waitForChildren(this.#state, handles);
  }

  /** `startChild` then `waitForChild`. */
  async invoke<D, O>(task: ChildTask<D, O>, data: D, options: StartChildOptions = {}): Promise<O> {
    return this.waitForChild(await this.startChild(task, data, options));
  }

  /** A durable timestamp: the first run's clock reading, identical on every replay. */
  async now(name: string): Promise<Date> {
    const iso = await runStep(
      this.#state,
      this,
      name,
      () => this.#state.now().toISOString(),
      undefined,
      "capture",
    );
    return new Date(iso);
  }

  /** A durable non-deterministic value: computed once, identical on every replay. */
  capture<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    return runStep(this.#state, this, name, fn, undefined, "capture");
  }

  /**
   * Deploy-safe branching: `true` for executions that reach this call for the first time on code
   * that has it, `false` for executions whose history already went past this point on older code.
   * The decision is recorded (a `marker` entry), so every replay agrees.
   */
  patched(patchId: string): Promise<boolean> {
    return patched(this.#state, patchId);
  }

  /** Replaces `patched(patchId)` once no execution predating the patch is in flight. */
  deprecatePatch(patchId: string): Promise<void> {
    return deprecatePatch(this.#state, patchId);
  }

  /** The execution's JSON blob (persisted at every checkpoint); `undefined` until set. */
  data<T = unknown>(): T | undefined {
    return fromJsonText<T | undefined>(this.#state.dataText);
  }

  /** Replaces the blob; it is written with the execution's next checkpoint. */
  setData(value: unknown): void {
    this.#state.setDataText(toJsonText(value, "ctx.setData value", this.#state.maxPayloadBytes));
  }
}
