import {
  type Clock,
  DurableScheduler,
  type DurableSchedulerOptions,
  ManualClock,
  type Scheduler,
  type StandardSchema,
  silentLogger,
  type TaskDefinition,
  TaskRegistry,
  Worker,
  type WorkerOptions,
} from "@zart/core";
import type { ClaimedWork, ClaimRequest } from "@zart/core/store";

/** What a store passes to {@link Harness}: see `ConformanceOptions` in the package entry point. */
export interface HarnessOptions {
  create: (clock: Clock) => Promise<Scheduler>;
  reset?: () => Promise<void>;
  /** Why a suite (`"events"`) or one test (`"events.<id>"`) is skipped; typed in `ConformanceOptions`. */
  skip?: Readonly<Partial<Record<string, string>>>;
}

/** One test's world: a manual clock, a scheduler over the shared storage, a client and a worker. */
export interface TestEnv {
  clock: ManualClock;
  /** The store under test, wrapped to record every unit it hands out in {@link TestEnv.claims}. */
  scheduler: Scheduler;
  /** Every unit `scheduler.claim` returned, in order. */
  claims: ClaimedWork[];
  registry: TaskRegistry;
  /** A client with `registry` attached. */
  durable: DurableScheduler;
  /** The default worker: concurrency 10, polling every 10 ms, 30 s leases. */
  worker: Worker;
  /** `worker.runUntilIdle()`. */
  run(): Promise<void>;
  /** Another worker (default: on the env's scheduler and registry); stopped after the test. */
  newWorker(options?: Partial<WorkerOptions>): Worker;
  /** Another client on `scheduler` (default: the env's registry). */
  newClient(options?: DurableSchedulerOptions): DurableScheduler;
  /** A new scheduler from `create()` over the same storage and clock; closed after the test. */
  newScheduler(): Promise<Scheduler>;
  /** How many units of `executionId` of this kind were claimed so far. */
  claimCount(executionId: string, kind?: ClaimedWork["kind"]): number;
}

/** Any task, whatever its data and output types. */
// biome-ignore lint/suspicious/noExplicitAny: a registry accepts tasks of every data type
export type AnyTask = TaskDefinition<any, any>;

/**
 * Creates each test's {@link TestEnv} and tracks every scheduler and worker a test creates, so
 * `cleanup()` (run after each test) can stop and close them even when the test failed midway.
 */
export class Harness {
  readonly #options: HarnessOptions;
  #workers: Worker[] = [];
  #schedulers: Scheduler[] = [];

  constructor(options: HarnessOptions) {
    this.#options = options;
  }

  /** Why the store skips test `id` of `suite` (or the whole suite); `undefined` when it runs. */
  skipReason(suite: string, id: string): string | undefined {
    return this.#options.skip?.[`${suite}.${id}`] ?? this.#options.skip?.[suite];
  }

  /** Empties the storage (before each test). */
  async reset(): Promise<void> {
    await this.#options.reset?.();
  }

  /**
   * Stops every worker (not gracefully: leases are given back at once), then closes every scheduler.
   * A worker whose stop never resolves (a run stuck in the engine) is left behind after 5 s so that
   * one broken test does not also hang the hooks of the next ones.
   */
  async cleanup(): Promise<void> {
    const workers = this.#workers;
    const schedulers = this.#schedulers;
    this.#workers = [];
    this.#schedulers = [];
    await finishes(
      Promise.allSettled(workers.map((worker) => worker.stop({ graceful: false }))),
      "the workers to stop",
      5_000,
    ).catch(() => undefined);
    for (const scheduler of schedulers) await scheduler.close();
  }

  /** A new scheduler from the store's `create`, tracked for cleanup. */
  async createScheduler(clock: Clock): Promise<Scheduler> {
    const scheduler = await this.#options.create(clock);
    this.#schedulers.push(scheduler);
    await scheduler.migrate();
    return scheduler;
  }

  /** A fresh test world with `tasks` registered. */
  async env(...tasks: AnyTask[]): Promise<TestEnv> {
    const clock = new ManualClock();
    const { scheduler, claims } = recordClaims(await this.createScheduler(clock));
    const registry = new TaskRegistry();
    for (const task of tasks) registry.register(task);
    const newWorker = (options: Partial<WorkerOptions> = {}): Worker => {
      const worker = new Worker({
        scheduler,
        registry,
        pollInterval: 10,
        logger: silentLogger,
        ...options,
      });
      this.#workers.push(worker);
      return worker;
    };
    const worker = newWorker();
    return {
      clock,
      scheduler,
      claims,
      registry,
      durable: new DurableScheduler(scheduler, { registry }),
      worker,
      run: () => worker.runUntilIdle(),
      newWorker,
      newClient: (options = { registry }) => new DurableScheduler(scheduler, options),
      newScheduler: () => this.createScheduler(clock),
      claimCount: (executionId, kind = "execution") =>
        claims.filter((unit) => unit.kind === kind && unit.lease.executionId === executionId).length,
    };
  }
}

/** Wraps a scheduler so that every unit its `claim` hands out is also pushed to `claims`. */
function recordClaims(target: Scheduler): { scheduler: Scheduler; claims: ClaimedWork[] } {
  const claims: ClaimedWork[] = [];
  const claim = async (request: ClaimRequest): Promise<ClaimedWork[]> => {
    const work = await target.claim(request);
    claims.push(...work);
    return work;
  };
  const scheduler = new Proxy(target, {
    get(object, key) {
      if (key === "claim") return claim;
      const value: unknown = Reflect.get(object, key, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
  return { scheduler, claims };
}

/** A promise opened from outside: `await gate.promise` blocks until `gate.open()`. */
export interface Gate {
  promise: Promise<void>;
  open(): void;
}

export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * Polls `condition` until it holds. Only a guard against hanging on a broken store: it waits in
 * real time for work running in the background, and fails (after 10 s) instead of hanging.
 */
export async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const giveUp = performance.now() + 10_000;
  while (!(await condition())) {
    if (performance.now() > giveUp) throw new Error(`Gave up waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * Resolves with `promise`, or rejects if it has not settled after `ms` of real time. Only a guard
 * against hanging on a broken engine or store: a background run that never ends fails the test.
 */
export async function finishes<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Gave up waiting for ${what}.`)), ms);
  });
  try {
    return await Promise.race([promise, giveUp]);
  } finally {
    clearTimeout(timer);
  }
}

/** The `code` of `error` and of every error in its `cause` chain, outermost first. */
export function codesOf(error: unknown): unknown[] {
  const codes: unknown[] = [];
  for (let e = error; e instanceof Error && codes.length < 10; e = e.cause) {
    codes.push((e as { code?: unknown }).code);
  }
  return codes;
}

/** A Standard Schema (the interface zod implements) accepting `{ name: string }`. */
export const personSchema: StandardSchema<{ name: string }> = {
  "~standard": {
    validate: (value) =>
      typeof value === "object" && value !== null && typeof (value as { name?: unknown }).name === "string"
        ? { value: value as { name: string } }
        : { issues: [{ message: "name must be a string", path: ["name"] }] },
  },
};
