import type { Clock, Scheduler } from "@zart/core";
import { afterAll, afterEach, beforeEach, describe } from "vitest";
import type { SkipIdOf } from "./define-suite.js";
import { Harness } from "./harness.js";
import { answersOnOfferSuite } from "./suites/answers-on-offer.js";
import { badInputSuite } from "./suites/bad-input.js";
import { cancellationSuite } from "./suites/cancellation.js";
import { childExecutionsSuite } from "./suites/child-executions.js";
import { coalescedStartsSuite } from "./suites/coalesced-starts.js";
import { concurrencySuite } from "./suites/concurrency.js";
import { contextSuite } from "./suites/context.js";
import { durabilitySuite } from "./suites/durability.js";
import { eventTimeoutsSuite } from "./suites/event-timeouts.js";
import { eventsSuite } from "./suites/events.js";
import { executionsSuite } from "./suites/executions.js";
import { flowControlSuite } from "./suites/flow/index.js";
import { leasesSuite } from "./suites/leases.js";
import { listPagesSuite } from "./suites/list-pages.js";
import { observabilitySuite } from "./suites/observability.js";
import { operatorBulkSuite } from "./suites/operator-bulk.js";
import { operatorPauseSuite } from "./suites/operator-pause.js";
import { operatorPauseRulesSuite } from "./suites/operator-pause-rules.js";
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
import { startManySuite } from "./suites/start-many.js";
import { stepsSuite } from "./suites/steps.js";
import { storeVerbsSuite } from "./suites/store-verbs.js";
import { taskRoutingSuite } from "./suites/task-routing.js";
import { taskVersionsSuite } from "./suites/task-versions.js";
import { timeSuite } from "./suites/time.js";
import { transactionsSuite } from "./suites/transactions.js";
import { workersSuite } from "./suites/workers.js";

export type { SkipIdOf, Suite, SuiteTest } from "./define-suite.js";
export type { Harness, TestEnv } from "./harness.js";
export { type MultiProcessOptions, multiProcessSuite, type SchedulerOpener } from "./multi-process/index.js";
export { claimNewUnits, completedStep } from "./store-tests/claimed-units.js";
export * from "./suites/semantics/index.js";
export {
  answersOnOfferSuite,
  badInputSuite,
  cancellationSuite,
  childExecutionsSuite,
  coalescedStartsSuite,
  concurrencySuite,
  contextSuite,
  durabilitySuite,
  eventsSuite,
  eventTimeoutsSuite,
  executionsSuite,
  flowControlSuite,
  leasesSuite,
  listPagesSuite,
  observabilitySuite,
  operatorBulkSuite,
  operatorPauseRulesSuite,
  operatorRetrySuite,
  parallelSuite,
  patchingSuite,
  payloadDepthSuite,
  prefetchSuite,
  retriesSuite,
  signalWithStartSuite,
  startManySuite,
  stepsSuite,
  storeVerbsSuite,
  taskRoutingSuite,
  taskVersionsSuite,
  timeSuite,
  transactionsSuite,
  workersSuite,
};

/** Every topic suite, in the order to make them pass (see the README). */
export const SUITES = [
  storeVerbsSuite,
  executionsSuite,
  listPagesSuite,
  startManySuite,
  coalescedStartsSuite,
  stepsSuite,
  retriesSuite,
  contextSuite,
  timeSuite,
  eventsSuite,
  eventTimeoutsSuite,
  answersOnOfferSuite,
  signalWithStartSuite,
  parallelSuite,
  childExecutionsSuite,
  leasesSuite,
  cancellationSuite,
  concurrencySuite,
  prefetchSuite,
  taskRoutingSuite,
  taskVersionsSuite,
  durabilitySuite,
  badInputSuite,
  payloadDepthSuite,
  operatorRetrySuite,
  operatorRerunSuite,
  operatorPauseSuite,
  operatorBulkSuite,
  runHistorySuite,
  observabilitySuite,
  patchingSuite,
  transactionsSuite,
  ...SEMANTICS_SUITES,
  flowControlSuite,
  scheduleVerbsSuite,
  scheduleFiresSuite,
  workersSuite,
  operatorPauseRulesSuite,
] as const;

/** The name of a topic suite, e.g. `"events"`. */
export type SuiteName = (typeof SUITES)[number]["suiteName"];

/**
 * What a store may skip: a whole suite (`"events"`) or one test (`"events.<id>"`, the ids each
 * suite lists in its `*_TESTS` constant). A misspelt id does not compile.
 */
export type ConformanceSkipId = SkipIdOf<(typeof SUITES)[number]>;

/** Skipped suites and tests, each with the reason shown in the test title. */
export type ConformanceSkips = Partial<Record<ConformanceSkipId, string>>;

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
  /**
   * Suites or tests not to run, with the reason: `{ "events.answersOnOffer…": "not yet" }`. Tests
   * of a capability a store does not declare skip themselves by its `capabilities` instead.
   */
  skip?: ConformanceSkips;
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
  describe(`zart conformance: ${options.name}`, () => {
    const harness = conformanceHarness(options);
    for (const suite of SUITES) suite(harness);
  });
}

/**
 * The harness the topic suites take, for running them one by one (e.g. while a new store passes
 * only the first topics). Call it inside a `describe`: it registers that block's hooks (reset
 * before each test, cleanup after it, `teardown` at the end).
 *
 * ```ts
 * describe("my store", () => {
 *   const harness = conformanceHarness({ create, reset, skip: { "events.wakesWorkerByPush": "no push yet" } });
 *   storeVerbsSuite(harness);
 *   executionsSuite(harness);
 * });
 * ```
 */
export function conformanceHarness(options: Omit<ConformanceOptions, "name">): Harness {
  const harness = new Harness(options);
  beforeEach(() => harness.reset());
  afterEach(() => harness.cleanup());
  afterAll(async () => {
    await options.teardown?.();
  });
  return harness;
}
