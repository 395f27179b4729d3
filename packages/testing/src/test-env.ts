import {
  type DurableExecutionStatus,
  DurableScheduler,
  type Duration,
  isTerminal,
  type Logger,
  ManualClock,
  type StartOptions,
  silentLogger,
  type TaskDefinition,
  TaskRegistry,
  toMillis,
  Worker,
} from "@zart/core";
import { MemoryScheduler } from "@zart/store-memory";
import { assertHistory, type ExpectedEntry, type HistoryEntry, historyOf } from "./history.js";
import { type StepMock, StepMocks } from "./step-mocks.js";
import { nextWakeAt } from "./wake-times.js";

// biome-ignore lint/suspicious/noExplicitAny: tasks of any input and output types are accepted
type AnyTask = TaskDefinition<any, any>;

export interface TestEnvOptions {
  /** The tasks the environment's worker runs. */
  tasks: AnyTask[];
  /** Where the manual clock starts. Default 2030-01-01T00:00:00Z. */
  now?: Date;
  /** Worker log lines. Default: silent. */
  logger?: Logger;
}

export interface TestStartOptions extends StartOptions {
  /** The execution id. Default: `<task name>-<n>`. */
  id?: string;
}

/**
 * A memory store, a `ManualClock` and a worker that runs only when the environment says so: every
 * action (`start`, `offerEvent`, `advance`, `cancel`) runs all work due after it before resolving,
 * so a test reads as a script of what happens, with no real waiting.
 */
export class TestEnv {
  readonly clock: ManualClock;
  readonly scheduler: MemoryScheduler;
  /** The client, for anything the environment does not wrap. */
  readonly client: DurableScheduler;
  readonly worker: Worker;
  readonly #mocks = new StepMocks();
  #started = 0;

  constructor(options: TestEnvOptions) {
    this.clock = new ManualClock(options.now);
    this.scheduler = new MemoryScheduler({ clock: this.clock });
    const registry = new TaskRegistry();
    for (const task of options.tasks) {
      registry.register(task.name, {
        ...task,
        run: (ctx, data) => {
          this.#mocks.install(ctx);
          return task.run(ctx, data);
        },
      });
    }
    this.client = new DurableScheduler(this.scheduler, { registry });
    this.worker = new Worker({ scheduler: this.scheduler, registry, logger: options.logger ?? silentLogger });
  }

  /** Starts `task` (input validated like `startFor`), runs what is due, returns the execution id. */
  async start<D, O>(task: TaskDefinition<D, O>, data: D, options: TestStartOptions = {}): Promise<string> {
    const { id = `${task.name}-${++this.#started}`, ...start } = options;
    await this.client.startFor(task, id, data, start);
    await this.runUntilIdle();
    return id;
  }

  /** Offers an event, then runs what it woke. */
  async offerEvent(
    executionId: string,
    eventName: string,
    payload: unknown,
    options: { idempotencyKey?: string } = {},
  ): Promise<"delivered" | "duplicate"> {
    const { status } = await this.client.offerEvent(executionId, eventName, payload, options);
    await this.runUntilIdle();
    return status;
  }

  /** Cancels an execution, then runs what is due. `false` when it was already terminal. */
  async cancel(executionId: string): Promise<boolean> {
    const cancelled = await this.client.cancel(executionId);
    await this.runUntilIdle();
    return cancelled;
  }

  /**
   * Skips time: moves the clock forward by `duration`, stopping at every sleep end, event timeout
   * and retry time on the way (in order) to run what became due there.
   */
  async advance(duration: Duration): Promise<void> {
    const target = this.clock.now().getTime() + toMillis(duration, "advance");
    await this.runUntilIdle();
    for (;;) {
      const next = await nextWakeAt(this.client, this.clock.now());
      if (next === undefined || next.getTime() > target) break;
      this.clock.set(next);
      await this.runUntilIdle();
    }
    this.clock.set(new Date(target));
    await this.runUntilIdle();
  }

  /** Claims and runs due work until none is due and nothing runs. */
  runUntilIdle(): Promise<void> {
    return this.worker.runUntilIdle();
  }

  /**
   * Runs `fn` instead of the body of every step named `name` (`ctx.step`, `ctx.stepWithRetry`,
   * `ctx.scheduleStep` and `defineStep` steps). Its result is recorded like a real one.
   */
  mockStep<T>(name: string, fn: () => Promise<T> | T): StepMock<T> {
    return this.#mocks.add(name, fn);
  }

  status(executionId: string): Promise<DurableExecutionStatus> {
    return this.client.status(executionId);
  }

  /** The execution's steps, sleeps, event waits and captures, in order. */
  async history(executionId: string): Promise<HistoryEntry[]> {
    return historyOf(await this.status(executionId));
  }

  /** Asserts the history: entries are step names or the fields to compare (`{ name, status }`). */
  async assertHistory(executionId: string, expected: ExpectedEntry[]): Promise<void> {
    assertHistory(executionId, await this.history(executionId), expected);
  }

  /**
   * The output of a completed execution (validated with `task.output`). Throws the execution's
   * failure (`ExecutionFailedError`, `ExecutionCancelledError`), or an error saying what it still
   * waits for when it is not finished: in a test env, nothing will finish it without an action.
   */
  async result<D, O>(task: TaskDefinition<D, O>, executionId: string): Promise<O> {
    const status = await this.status(executionId);
    if (!isTerminal(status.status)) {
      const waitingOn = status.steps.find((step) => step.status === "waiting" || step.status === "pending");
      throw new Error(
        `Execution "${executionId}" is still ${status.status}` +
          (waitingOn ? ` at ${waitingOn.kind} "${waitingOn.name}"` : "") +
          (status.wakeAt ? ` until ${status.wakeAt.toISOString()}` : "") +
          ": offer its event or advance the clock first.",
      );
    }
    return this.client.waitFor(task, executionId, { timeout: 0 });
  }

  /** Stops the worker and closes the store. */
  async close(): Promise<void> {
    await this.worker.stop();
    await this.scheduler.close();
  }
}

/** A fresh environment for `tasks`. See {@link TestEnv}. */
export function createTestEnv(options: TestEnvOptions): TestEnv {
  return new TestEnv(options);
}
