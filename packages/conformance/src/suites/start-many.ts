import {
  type CreateOutcome,
  defineTask,
  PayloadTooLargeError,
  TaskNotRegisteredError,
  ValidationError,
} from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { personSchema } from "../harness.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const START_MANY_TESTS = [
  "createsBatchOf500",
  "carriesItemOptions",
  "answersExistsReplacesTerminal",
  "createsEachIdOnceRacing",
  "invalidItemsPersistNothing",
] as const;

/** `startMany` and the store's `createExecutions`: one write for many starts, idempotent per id. */
export const startManySuite = defineSuite("start-many", START_MANY_TESTS, (h, test) => {
  const person = defineTask({
    name: "person",
    input: personSchema,
    async run(ctx, data) {
      return ctx.step("greet", async () => `hello ${data.name}`);
    },
  });
  const tenant = defineTask({
    name: "tenant",
    concurrency: { limit: 1, key: (data: { tenant: string }) => data.tenant },
    async run() {},
  });
  const versioned = defineTask({ name: "versioned", version: "v2", async run() {} });
  const ids = (n: number, prefix = "b") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

  describe("startMany", () => {
    test(
      "createsBatchOf500",
      "creates a batch of 500 in one call, every one claimable and run",
      async () => {
        const env = await h.env(person);
        const results = await env.durable.startMany(
          ids(500).map((executionId) => ({ executionId, taskName: "person", data: { name: executionId } })),
        );
        expect(results.map((r) => r.outcome)).toEqual(Array(500).fill("created"));
        expect(results.map((r) => r.executionId)).toEqual(ids(500));
        const now = env.clock.now();
        const claimed = new Set<string>();
        for (let round = 0; round < 20 && claimed.size < 500; round++) {
          const units = await env.scheduler.claim({
            workerId: "w",
            taskNames: ["person"],
            limit: 100,
            leaseMs: 60_000,
            now,
          });
          for (const unit of units) claimed.add(unit.lease.executionId);
        }
        expect([...claimed].sort()).toEqual(ids(500).sort());
      },
      60_000,
    );

    test(
      "carriesItemOptions",
      "carries each item's task, input, due time, priority, concurrency key and task version",
      async () => {
        const env = await h.env(person, tenant, versioned);
        const later = new Date(env.clock.now().getTime() + 60_000);
        await env.durable.startMany([
          { executionId: "p", taskName: person, data: { name: "p" }, options: { priority: 5 } },
          { executionId: "l", taskName: "person", data: { name: "l" }, options: { runAt: later } },
          { executionId: "t", taskName: "tenant", data: { tenant: "acme" } },
          { executionId: "v", taskName: "versioned", data: null },
          { executionId: "vd", taskName: versioned, data: null },
        ]);
        expect((await env.scheduler.getExecution("v"))?.execution.version).toBe("v2");
        expect((await env.scheduler.getExecution("vd"))?.execution.version).toBe("v2");
        expect((await env.scheduler.getExecution("t"))?.execution.concurrencyKey).toMatch(/acme/);
        const p = (await env.scheduler.getExecution("p"))?.execution;
        expect(p).toMatchObject({ taskName: "person", status: "pending", priority: 5 });
        expect(JSON.parse(p?.payload ?? "null")).toEqual({ name: "p" });
        const l = (await env.scheduler.getExecution("l"))?.execution;
        expect(l?.scheduledAt).toEqual(later);
        await env.run();
        expect(await env.durable.status("p")).toMatchObject({ status: "completed", result: "hello p" });
        expect((await env.durable.status("l")).status).toBe("pending");
      },
    );

    test(
      "answersExistsReplacesTerminal",
      "answers exists for an unfinished id (unchanged) and starts a new run of a finished one",
      async () => {
        const env = await h.env(person);
        await env.durable.start("done", "person", { name: "first" });
        await env.run();
        await env.durable.start("held", "person", { name: "old" });
        const results = await env.durable.startMany([
          { executionId: "held", taskName: "person", data: { name: "new" } },
          { executionId: "done", taskName: "person", data: { name: "second" } },
          { executionId: "fresh", taskName: "person", data: { name: "fresh" } },
        ]);
        expect(results.map((r) => [r.executionId, r.outcome])).toEqual([
          ["held", "exists"],
          ["done", "created"],
          ["fresh", "created"],
        ]);
        expect((await env.durable.status("held")).payload).toEqual({ name: "old" });
        expect(await env.durable.status("done")).toMatchObject({ status: "pending", run: 2, steps: [] });
        expect(await env.durable.status("done", { run: 1 })).toMatchObject({ result: "hello first" });
        await env.run();
        expect(await env.durable.status("done")).toMatchObject({ result: "hello second" });
      },
    );

    test(
      "createsEachIdOnceRacing",
      "creates each id exactly once among 8 racing createExecutions with overlapping ids",
      async () => {
        const env = await h.env(person);
        const schedulers = [env.scheduler, ...(await Promise.all([1, 2, 3].map(() => env.newScheduler())))];
        const now = env.clock.now();
        const all = ids(120, "r");
        // Batch i takes ids [10i, 10i + 50): every id is in up to five batches, each in its own order.
        const batches = Array.from({ length: 8 }, (_, i) => {
          const part = all.slice(i * 10, i * 10 + 50);
          return i % 2 === 0 ? part : part.reverse();
        });
        const outcomes = await Promise.all(
          batches.map((batch, i) =>
            (schedulers[i % schedulers.length] as (typeof schedulers)[number]).createExecutions(
              batch.map((executionId) => ({
                executionId,
                taskName: "person",
                payload: JSON.stringify({ name: `${executionId}-${i}` }),
                runAt: now,
              })),
              now,
            ),
          ),
        );
        const created = new Map<string, number>();
        batches.forEach((batch, i) => {
          expect(outcomes[i]).toHaveLength(batch.length);
          batch.forEach((id, j) => {
            const outcome = (outcomes[i] as CreateOutcome[])[j];
            expect(["created", "exists"]).toContain(outcome);
            if (outcome === "created") created.set(id, (created.get(id) ?? 0) + 1);
          });
        });
        const touched = [...new Set(batches.flat())].sort();
        expect([...created.keys()].sort()).toEqual(touched);
        expect([...created.values()].every((count) => count === 1)).toBe(true);
        const listed = await env.durable.listExecutions({ limit: 1000 });
        expect(listed.map((s) => s.executionId).sort()).toEqual(touched);
        expect(listed.every((s) => s.status === "pending" && s.run === 1)).toBe(true);
      },
      60_000,
    );

    test(
      "invalidItemsPersistNothing",
      "answers invalid items with their typed error, persists nothing for them, creates the rest",
      async () => {
        const env = await h.env(person);
        const durable = env.newClient({ registry: env.registry, maxPayloadBytes: 200 });
        const results = await durable.startMany([
          { executionId: "", taskName: "person", data: { name: "x" } },
          { executionId: "unknown", taskName: "nope", data: {} },
          { executionId: "schema", taskName: "person", data: { name: 1 } },
          { executionId: "big", taskName: "person", data: { name: "x".repeat(300) } },
          { executionId: "ok", taskName: "person", data: { name: "ok" } },
          { executionId: "ok", taskName: "person", data: { name: "again" } },
          {
            executionId: "bad-date",
            taskName: "person",
            data: { name: "d" },
            options: { runAt: new Date(Number.NaN) },
          },
        ]);
        expect(results.map((r) => r.outcome)).toEqual([
          "invalid",
          "invalid",
          "invalid",
          "invalid",
          "created",
          "invalid",
          "invalid",
        ]);
        expect(results[0]?.error).toBeInstanceOf(ValidationError);
        expect(results[1]?.error).toBeInstanceOf(TaskNotRegisteredError);
        expect(results[2]?.error).toBeInstanceOf(ValidationError);
        expect(results[3]?.error).toBeInstanceOf(PayloadTooLargeError);
        expect(results[5]?.error?.message).toMatch(/repeats item 4/);
        expect(results[6]?.error).toBeInstanceOf(ValidationError);
        const listed = await env.durable.listExecutions();
        expect(listed.map((s) => [s.executionId, s.payload])).toEqual([["ok", { name: "ok" }]]);
        expect(await durable.startMany([{ executionId: "x", taskName: "nope", data: 1 }])).toMatchObject([
          { outcome: "invalid" },
        ]);
        expect(await env.durable.listExecutions()).toHaveLength(1);
      },
    );
  });
});
