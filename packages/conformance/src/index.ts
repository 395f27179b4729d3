import type { Clock, Scheduler } from "@zart/core";
import { afterAll, afterEach, beforeEach, describe } from "vitest";
import { Harness } from "./harness.js";
import { answersOnOfferSuite } from "./suites/answers-on-offer.js";
import { badInputSuite } from "./suites/bad-input.js";
import { cancellationSuite } from "./suites/cancellation.js";
import { childExecutionsSuite } from "./suites/child-executions.js";
import { concurrencySuite } from "./suites/concurrency.js";
import { contextSuite } from "./suites/context.js";
import { durabilitySuite } from "./suites/durability.js";
import { eventsSuite } from "./suites/events.js";
import { executionsSuite } from "./suites/executions.js";
import { flowControlSuite } from "./suites/flow/index.js";
import { leasesSuite } from "./suites/leases.js";
import { operatorPauseSuite } from "./suites/operator-pause.js";
import { operatorRerunSuite } from "./suites/operator-rerun.js";
import { operatorRetrySuite } from "./suites/operator-retry.js";
import { parallelSuite } from "./suites/parallel.js";
import { patchingSuite } from "./suites/patching.js";
import { payloadDepthSuite } from "./suites/payload-depth.js";
import { prefetchSuite } from "./suites/prefetch.js";
import { retriesSuite } from "./suites/retries.js";
import { runHistorySuite } from "./suites/run-history.js";
import { scheduleFiresSuite } from "./suites/schedule-fires.js";
import { scheduleVerbsSuite } from "./suites/schedule-verbs.js";
import { SEMANTICS_SUITES } from "./suites/semantics/index.js";
import { signalWithStartSuite } from "./suites/signal-with-start.js";
import { stepsSuite } from "./suites/steps.js";
import { storeVerbsSuite } from "./suites/store-verbs.js";
import { taskRoutingSuite } from "./suites/task-routing.js";
import { timeSuite } from "./suites/time.js";
import { transactionsSuite } from "./suites/transactions.js";

export type { Harness, TestEnv } from "./harness.js";
export {
  answersOnOfferSuite,
  badInputSuite,
  cancellationSuite,
  concurrencySuite,
  contextSuite,
  durabilitySuite,
  eventsSuite,
  executionsSuite,
  leasesSuite,
  parallelSuite,
  payloadDepthSuite,
  prefetchSuite,
  retriesSuite,
  SEMANTICS_SUITES,
  signalWithStartSuite,
  stepsSuite,
  storeVerbsSuite,
  taskRoutingSuite,
  timeSuite,
};

/** The topic suites, by name, in the order to make them pass (see the README). */
export const SUITES = {
  "store-verbs": storeVerbsSuite,
  executions: executionsSuite,
  steps: stepsSuite,
  retries: retriesSuite,
  context: contextSuite,
  time: timeSuite,
  events: eventsSuite,
  "answers-on-offer": answersOnOfferSuite,
  "signal-with-start": signalWithStartSuite,
  parallel: parallelSuite,
  "child-executions": childExecutionsSuite,
  leases: leasesSuite,
  cancellation: cancellationSuite,
  concurrency: concurrencySuite,
  prefetch: prefetchSuite,
  "task-routing": taskRoutingSuite,
  durability: durabilitySuite,
  "bad-input": badInputSuite,
  "payload-depth": payloadDepthSuite,
  "operator-retry": operatorRetrySuite,
  "operator-rerun": operatorRerunSuite,
  "operator-pause": operatorPauseSuite,
  "run-history": runHistorySuite,
  patching: patchingSuite,
  transactions: transactionsSuite,
  ...SEMANTICS_SUITES,
  "flow-control": flowControlSuite,
  "schedule-verbs": scheduleVerbsSuite,
  "schedule-fires": scheduleFiresSuite,
} satisfies Record<string, (harness: Harness) => void>;

/** The name of a topic suite, for {@link ConformanceOptions.skip}. */
export type SuiteName = keyof typeof SUITES;

/** How a store plugs into {@link runConformance}. */
export interface ConformanceOptions {
  /** Shown in the suite titles, e.g. `"memory"`, `"sqlite-file"`. */
  name: string;
  /**
   * Returns a NEW `Scheduler` reading time from `clock`, over the SAME storage as every other
   * `create()` since the last `reset()` (the durability suite closes one and reopens another).
   * The suite calls `migrate()` on it and closes it after the test.
   */
  create: (clock: Clock) => Promise<Scheduler>;
  /** Empties the storage; called before each test. The suites assume every test starts empty. */
  reset?: () => Promise<void>;
  /** Called once after all suites (drop the database, stop a server…). */
  teardown?: () => Promise<void>;
  /** Topic suites not to run. Tests a store cannot support are skipped by its `capabilities` instead. */
  skip?: SuiteName[];
}

/**
 * Registers the conformance suites (the store verbs one by one, then SPEC §4: every mandatory
 * semantic, plus durability, leases and concurrency) as vitest suites for one store. Call it at the
 * top level of a test file:
 *
 * ```ts
 * runConformance({ name: "memory", create: async (clock) => new MemoryScheduler({ clock, storage }), reset });
 * ```
 *
 * Every test drives a `ManualClock` (no test sleeps to wait for a timeout), checks errors by
 * `instanceof` and `code`, and stops the workers and closes the schedulers it created afterwards.
 * Tests that need several processes, push wake-ups or persistence skip themselves according to
 * `scheduler.capabilities`.
 */
export function runConformance(options: ConformanceOptions): void {
  const skipped = new Set<SuiteName>(options.skip ?? []);
  describe(`zart conformance: ${options.name}`, () => {
    const harness = conformanceHarness(options);
    for (const [name, register] of Object.entries(SUITES)) {
      const suite = skipped.has(name as SuiteName) ? describe.skip : describe;
      suite(name, () => register(harness));
    }
  });
}

/**
 * The harness the topic suites take, for running them one by one (e.g. while a new store passes
 * only the first topics). Call it inside a `describe`: it registers that block's hooks (reset
 * before each test, cleanup after it, `teardown` at the end).
 *
 * ```ts
 * describe("my store", () => {
 *   const harness = conformanceHarness({ name: "mine", create, reset });
 *   describe("store-verbs", () => storeVerbsSuite(harness));
 * });
 * ```
 */
export function conformanceHarness(options: Omit<ConformanceOptions, "skip" | "name">): Harness {
  const harness = new Harness(options);
  beforeEach(() => harness.reset());
  afterEach(() => harness.cleanup());
  afterAll(async () => {
    await options.teardown?.();
  });
  return harness;
}
