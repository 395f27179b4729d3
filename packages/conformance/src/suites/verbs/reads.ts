import { StoreUnavailableError, type ZartError } from "@zart/core";
import type { Lease, SerializedError, WakeUp } from "@zart/core/store";
import { describe, expect } from "vitest";
import type { SuiteTest } from "../../define-suite.js";
import type { Harness } from "../../harness.js";
import { flush, verbEnv } from "./support.js";

/** JSON text as the engine writes it: escaped lone surrogates and NUL, emoji, empty arrays, long numbers. */
const TRICKY = JSON.stringify({
  s: "x\ud800y 😀 é \u0001",
  empty: [],
  nested: { list: [] },
  n: Number.MAX_SAFE_INTEGER,
  f: 0.1 + 0.2,
});
const TRICKY_ERROR: SerializedError = {
  name: "ValidationError",
  message: "bad 😀",
  code: "VALIDATION",
  details: { issues: [], big: 2 ** 60, deep: { empty: {} } },
};

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const READ_VERB_TESTS = [
  "listsNewestFirst",
  "purgesTerminalBeforeCutoff",
  "handsOutCopies",
  "returnsJsonTextExactly",
  "keepsValuesExact",
  "closeIsIdempotent",
  "keepsDataAcrossClose",
  "deliversOwnWakeUps",
] as const;

/** The read verbs, purge, the values a store keeps, and a scheduler's life: close, reopen, subscribe. */
export function readVerbs(h: Harness, test: SuiteTest<(typeof READ_VERB_TESTS)[number]>): void {
  describe("reads", () => {
    test("listsNewestFirst", "lists newest first, then by id, filtered and paginated", async () => {
      const { clock, scheduler, start } = await verbEnv(h);
      await start("b");
      await start("a");
      clock.advance("1s");
      await start("c");
      await scheduler.createExecution(
        { executionId: "d", taskName: "other", payload: "1", runAt: clock.now() },
        clock.now(),
      );
      const ids = async (filter: {
        status?: "pending";
        taskName?: string;
        limit?: number;
        offset?: number;
      }) =>
        (await scheduler.listExecutions({ limit: 10, offset: 0, ...filter })).map(
          (d) => d.execution.executionId,
        );
      expect(await ids({})).toEqual(["c", "d", "a", "b"]);
      expect(await ids({ limit: 2, offset: 1 })).toEqual(["d", "a"]);
      expect(await ids({ taskName: "task", status: "pending" })).toEqual(["c", "a", "b"]);
    });

    test(
      "purgesTerminalBeforeCutoff",
      "purges terminal executions completed before the cutoff, by status",
      async () => {
        const { clock, scheduler, start, claimOne, now } = await verbEnv(h);
        await start("done");
        const { lease } = await claimOne();
        await start("cancelled");
        await start("live");
        await scheduler.completeExecution(lease, { result: "1" }, {}, now());
        await scheduler.cancelExecution("cancelled", now());
        const cutoff = clock.advance("1s");
        expect(await scheduler.purge({ olderThan: cutoff, statuses: ["failed"] })).toBe(0);
        expect(await scheduler.purge({ olderThan: new Date(cutoff.getTime() - 2_000) })).toBe(0);
        expect(await scheduler.purge({ olderThan: cutoff, statuses: ["completed"] })).toBe(1);
        expect(await scheduler.purge({ olderThan: cutoff })).toBe(1);
        expect(await scheduler.getExecution("done")).toBeUndefined();
        expect(await scheduler.getExecution("live")).toBeDefined();
      },
    );

    test("handsOutCopies", "hands out copies that never alias the stored state", async () => {
      const { scheduler, start, details } = await verbEnv(h);
      const created = await start("e1");
      created.status = "failed";
      const read = await details("e1");
      read.execution.runAt?.setTime(0);
      read.steps.push({ position: 9, name: "x", kind: "step", status: "completed", attempts: 1 });
      const again = await scheduler.getExecution("e1");
      expect(again?.execution.status).toBe("pending");
      expect(again?.execution.runAt?.getTime()).not.toBe(0);
      expect(again?.steps).toEqual([]);
    });
  });

  describe("stored values", () => {
    test(
      "returnsJsonTextExactly",
      "returns JSON text exactly as written: escapes, emoji, big numbers, null",
      async () => {
        const { scheduler, claimOne, now, details } = await verbEnv(h);
        const texts = [
          '{"s":"\\ud800 lone surrogate, escaped","e":"\\u0000","emoji":"\u{1F680}","n":12345678901234567890}',
          "null",
          '""',
          "[]",
          '{"b":1,"a":2}',
        ];
        await scheduler.createExecution(
          { executionId: "e\u{1F680}", taskName: "task", payload: texts[0]!, runAt: now() },
          now(),
        );
        const { lease } = await claimOne();
        for (const [position, result] of texts.entries()) {
          await scheduler.saveStep(
            lease,
            { position, name: `s${position}`, kind: "step", status: "completed", result, attempts: 1 },
            { data: texts[4]! },
            now(),
          );
        }
        await scheduler.offerEvent({ executionId: "e\u{1F680}", eventName: "go", payload: texts[0]! }, now());
        const read = await details("e\u{1F680}");
        expect(read.execution.payload).toBe(texts[0]);
        expect(read.execution.data).toBe(texts[4]);
        expect(read.steps.map((step) => step.result)).toEqual(texts);
        expect(read.events[0]?.payload).toBe(texts[0]);
      },
    );

    test(
      "keepsValuesExact",
      "keeps results, payloads, data and errors exact through retries, children and event waits",
      async () => {
        const { scheduler, start, claimOne, step, now, details } = await verbEnv(h);
        await start("e1");
        const first = await claimOne();
        const lease = first.lease;
        await scheduler.saveStep(lease, { ...step(0), result: TRICKY, name: "odd 😀 é name" }, {}, now());
        await scheduler.dispatchChildren(lease, { children: [{ position: 1, name: "c" }] }, {}, now());
        const child = await claimOne();
        if (child.kind !== "child") throw new Error("expected a child");
        await scheduler.settleChild(
          child.lease,
          { status: "failed", error: TRICKY_ERROR, attempts: 1 },
          now(),
        );
        await scheduler.offerEvent({ executionId: "e1", eventName: "go", payload: TRICKY }, now());
        const second = await claimOne();
        await scheduler.retryExecution(second.lease, { error: TRICKY_ERROR, runAt: now() }, {}, now());
        const third = await claimOne();
        const received = await scheduler.awaitEvent(
          third.lease,
          { position: 1, stepName: "wait", eventName: "go", timeoutError: TRICKY_ERROR },
          { data: TRICKY },
          now(),
        );
        expect(received).toEqual({ outcome: "received", payload: TRICKY });
        await scheduler.failExecution(third.lease, { error: TRICKY_ERROR }, {}, now());

        const { execution, steps, events } = await details("e1");
        expect(execution.error).toEqual(TRICKY_ERROR);
        expect(execution.data).toBe(TRICKY);
        expect(steps[0]).toMatchObject({ name: "odd 😀 é name", result: TRICKY });
        expect(steps[1]).toMatchObject({ kind: "event", result: TRICKY });
        expect(events[0]?.payload).toBe(TRICKY);
        expect(JSON.parse(steps[0]!.result!)).toEqual(JSON.parse(TRICKY));
      },
    );
  });

  describe("lifecycle", () => {
    test(
      "closeIsIdempotent",
      "close() is idempotent; afterwards the scheduler answers StoreUnavailableError",
      async () => {
        const { scheduler, start } = await verbEnv(h);
        await start("e1");
        await scheduler.close();
        await scheduler.close();
        for (const [name, call] of Object.entries({
          ping: () => scheduler.ping(),
          getExecution: () => scheduler.getExecution("e1"),
          listExecutions: () => scheduler.listExecutions({ limit: 1, offset: 0 }),
          subscribe: async () => scheduler.subscribe(() => {}),
        })) {
          const error = await call().then(
            () => "accepted",
            (e: unknown) => e,
          );
          expect(error, name).toBeInstanceOf(StoreUnavailableError);
          expect((error as ZartError).code, name).toBe("STORE_UNAVAILABLE");
        }
      },
    );

    test(
      "keepsDataAcrossClose",
      "keeps the data across close and a new scheduler, and the lease taken before still holds",
      async (t) => {
        const { clock, scheduler, start, claimOne, env } = await verbEnv(h);
        t.skip(!scheduler.capabilities.persistent, "the store does not persist across close()");
        await start("e1");
        const work = await claimOne();
        await scheduler.close();

        const second = await env.newScheduler();
        await second.ping();
        const lease: Lease = work.lease;
        await second.completeExecution(lease, { result: "2" }, {}, clock.now());
        expect((await second.getExecution("e1"))?.execution).toMatchObject({
          status: "completed",
          result: "2",
        });
      },
    );

    test(
      "deliversOwnWakeUps",
      "delivers its own wake-ups to every listener until it unsubscribes (stores with push)",
      async (t) => {
        const { scheduler, start, claimOne, now } = await verbEnv(h);
        t.skip(!scheduler.capabilities.push, "the store has no push: workers poll");
        const a: WakeUp[] = [];
        const b: WakeUp[] = [];
        const stopA = scheduler.subscribe((wake) => a.push(wake));
        scheduler.subscribe((wake) => b.push(wake));
        await start("e1");
        await flush();
        stopA();
        const { lease } = await claimOne();
        await scheduler.releaseLease(lease, now());
        await scheduler.cancelExecution("e1", now());
        await flush();
        expect(a.map((w) => w.reason)).toEqual(["created"]);
        expect(b.map((w) => w.reason)).toEqual(["created", "released", "cancelled"]);
      },
    );
  });
}
