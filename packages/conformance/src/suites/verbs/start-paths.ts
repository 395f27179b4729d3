import type { NewExecution } from "@zart/core/store";
import { describe, expect } from "vitest";
import type { SuiteTest } from "../../define-suite.js";
import type { Harness } from "../../harness.js";
import { verbEnv } from "./support.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const START_PATH_VERB_TESTS = [
  "createExecutionsKeepsTraceContext",
  "forkKeepsTraceContext",
  "scheduleFiresKeepStartFields",
] as const;

/** A W3C carrier as the engine persists it. */
const TRACE = JSON.stringify({ traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" });

/**
 * Every path that creates executions besides `createExecution` keeps the fields its input carries:
 * the starter's trace context above all (the parent of the execution's spans).
 */
export function startPathVerbs(h: Harness, test: SuiteTest<(typeof START_PATH_VERB_TESTS)[number]>): void {
  describe("start paths", () => {
    test(
      "createExecutionsKeepsTraceContext",
      "createExecutions stores each item's trace context",
      async () => {
        const { scheduler, now, details } = await verbEnv(h);
        const item = (executionId: string): NewExecution => ({
          executionId,
          taskName: "task",
          payload: "1",
          runAt: now(),
        });
        await scheduler.createExecutions([{ ...item("traced"), traceContext: TRACE }, item("plain")], now());
        expect((await details("traced")).execution.traceContext).toBe(TRACE);
        expect((await details("plain")).execution.traceContext).toBeUndefined();
      },
    );

    test("forkKeepsTraceContext", "forkExecution stores the rerun caller's trace context", async () => {
      const { scheduler, now, claimOne, step, details, start } = await verbEnv(h);
      await start("source");
      const { lease } = await claimOne();
      await scheduler.saveStep(lease, step(0), {}, now());
      const record = await scheduler.forkExecution(
        { sourceId: "source", executionId: "again", fromStep: "s0", traceContext: TRACE },
        now(),
      );
      expect(record.traceContext).toBe(TRACE);
      expect((await details("again")).execution.traceContext).toBe(TRACE);
      await scheduler.forkExecution({ sourceId: "source", executionId: "untraced", fromStep: "s0" }, now());
      expect((await details("untraced")).execution.traceContext).toBeUndefined();
    });

    test(
      "scheduleFiresKeepStartFields",
      "writeSchedule starts its fires with their priority, concurrency key, version and trace context",
      async () => {
        const { scheduler, now, details } = await verbEnv(h);
        const schedule = { scheduleId: "s", taskName: "task", dueAt: now(), version: 1, body: "{}" };
        await scheduler.createSchedule(schedule, now());
        const fire: NewExecution = {
          executionId: "s@1",
          taskName: "task",
          payload: "1",
          runAt: now(),
          priority: 4,
          concurrencyKey: "task:task\ntenant-1",
          version: "v2",
          traceContext: TRACE,
        };
        const plain: NewExecution = { executionId: "s@2", taskName: "task", payload: "2", runAt: now() };
        const written = await scheduler.writeSchedule(
          { schedule: { ...schedule, version: 2 }, expectedVersion: 1, start: [fire, plain] },
          now(),
        );
        expect(written).toBe(true);
        expect((await details("s@1")).execution).toMatchObject({
          priority: 4,
          concurrencyKey: "task:task\ntenant-1",
          version: "v2",
          traceContext: TRACE,
        });
        const bare = (await details("s@2")).execution;
        expect([bare.priority ?? 0, bare.concurrencyKey, bare.version, bare.traceContext]).toEqual([
          0,
          undefined,
          undefined,
          undefined,
        ]);
      },
    );
  });
}
