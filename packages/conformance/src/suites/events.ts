import {
  defineTask,
  ExecutionNotFoundError,
  ExecutionTerminalError,
  ValidationError,
  type ZartError,
} from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { personSchema } from "../harness.js";

/** Runs `fn` after `ticks` turns of the event loop, mixing microtasks and macrotasks. */
async function afterTicks<T>(ticks: number, fn: () => Promise<T>): Promise<T> {
  for (let i = 0; i < ticks; i++) {
    if (i % 3 === 2) await new Promise((resolve) => setImmediate(resolve));
    else await Promise.resolve();
  }
  return fn();
}

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const EVENTS_TESTS = [
  "keepsEarlyOffer",
  "wakesWaitingExecution",
  "queuesOffersFifo",
  "ignoresOtherNames",
  "answersDuplicateKey",
  "rejectsOffersToUnknownOrTerminal",
  "validatesPayloadSchema",
  "noLostWakeUpFromStep",
  "noLostWakeUpFromClients",
  "wakesWorkerByPush",
] as const;

/** SPEC §4.3: the mailbox, FIFO, idempotency, and no lost wake-ups (timeouts: `event-timeouts`). */
export const eventsSuite = defineSuite("events", EVENTS_TESTS, (h, test) => {
  const waitsForGo = defineTask({
    name: "waits-for-go",
    async run(ctx) {
      return ctx.waitForEvent("go");
    },
  });

  describe("mailbox", () => {
    test(
      "keepsEarlyOffer",
      "keeps an event offered before any worker claimed the execution and consumes it at the wait",
      async () => {
        const env = await h.env(waitsForGo);
        await env.durable.start("e1", "waits-for-go", null);
        expect(await env.durable.offerEvent("e1", "go", { ok: true })).toEqual({ status: "delivered" });
        const before = await env.durable.status("e1");
        expect(before.status).toBe("pending");
        expect(before.events).toHaveLength(1);
        expect(before.events[0]).toMatchObject({ eventName: "go", payload: { ok: true } });
        expect(before.events[0]?.consumedAt).toBeUndefined();

        await env.run();
        const after = await env.durable.status("e1");
        expect(after).toMatchObject({ status: "completed", result: { ok: true } });
        expect(after.events[0]?.consumedAt).toBeInstanceOf(Date);
        expect(after.steps[0]).toMatchObject({
          name: "go",
          kind: "event",
          status: "completed",
          result: { ok: true },
        });
      },
    );

    test("wakesWaitingExecution", "wakes an execution waiting for the event", async () => {
      const env = await h.env(waitsForGo);
      await env.durable.start("e1", "waits-for-go", null);
      await env.run();
      const waiting = await env.durable.status("e1");
      expect(waiting.status).toBe("waiting");
      expect(waiting.steps[0]).toMatchObject({ name: "go", kind: "event", status: "waiting" });
      expect(waiting.wakeAt).toBeUndefined();
      expect(await env.durable.offerEvent("e1", "go", 7)).toEqual({ status: "delivered" });
      await env.run();
      expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: 7 });
    });

    test(
      "queuesOffersFifo",
      "queues offers of one name FIFO: each wait consumes the oldest unconsumed one",
      async () => {
        const task = defineTask({
          name: "fifo",
          async run(ctx) {
            return [await ctx.waitForEvent("go"), await ctx.waitForEvent("go")];
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "fifo", null);
        for (const n of [1, 2, 3]) await env.durable.offerEvent("e1", "go", n);
        await env.run();
        const status = await env.durable.status("e1");
        expect(status).toMatchObject({ status: "completed", result: [1, 2] });
        expect(status.steps.map((s) => s.name)).toEqual(["go", "go#1"]);
        expect(status.events.map((e) => [e.payload, e.consumedAt !== undefined])).toEqual([
          [1, true],
          [2, true],
          [3, false],
        ]);
      },
    );

    test(
      "ignoresOtherNames",
      "does not wake a wait on another name, and keeps that event for a later wait",
      async () => {
        const task = defineTask({
          name: "two-names",
          async run(ctx) {
            const a = await ctx.waitForEvent("a");
            const b = await ctx.waitForEvent("b");
            return [a, b];
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "two-names", null);
        await env.run();
        await env.durable.offerEvent("e1", "b", "B");
        await env.run();
        expect((await env.durable.status("e1")).status).toBe("waiting");
        expect(env.claimCount("e1")).toBe(1);
        await env.durable.offerEvent("e1", "a", "A");
        await env.run();
        expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: ["A", "B"] });
      },
    );

    test(
      "answersDuplicateKey",
      "answers a re-sent idempotencyKey with duplicate and keeps one event",
      async () => {
        const env = await h.env(waitsForGo);
        await env.durable.start("e1", "waits-for-go", null);
        const offer = (payload: number, key: string) =>
          env.durable.offerEvent("e1", "go", payload, { idempotencyKey: key });
        expect(await offer(1, "k1")).toEqual({ status: "delivered" });
        expect(await offer(2, "k1")).toEqual({ status: "duplicate" });
        expect(await offer(3, "k2")).toEqual({ status: "delivered" });
        const events = (await env.durable.status("e1")).events;
        expect(events.map((e) => [e.payload, e.idempotencyKey])).toEqual([
          [1, "k1"],
          [3, "k2"],
        ]);
        await env.run();
        expect((await env.durable.status("e1")).result).toBe(1);
      },
    );

    test(
      "rejectsOffersToUnknownOrTerminal",
      "rejects offers to unknown and terminal executions, but still answers duplicates",
      async () => {
        const env = await h.env(waitsForGo);
        const unknown = await env.durable.offerEvent("missing", "go", 1).catch((e: unknown) => e);
        expect(unknown).toBeInstanceOf(ExecutionNotFoundError);
        expect((unknown as ZartError).code).toBe("EXECUTION_NOT_FOUND");
        await expect(env.durable.status("missing")).rejects.toBeInstanceOf(ExecutionNotFoundError);

        await env.durable.start("e1", "waits-for-go", null);
        await env.durable.offerEvent("e1", "go", 1, { idempotencyKey: "k1" });
        await env.run();
        expect((await env.durable.status("e1")).status).toBe("completed");

        expect(await env.durable.offerEvent("e1", "go", 2, { idempotencyKey: "k1" })).toEqual({
          status: "duplicate",
        });
        for (const options of [{ idempotencyKey: "k2" }, {}]) {
          const terminal = await env.durable.offerEvent("e1", "go", 3, options).catch((e: unknown) => e);
          expect(terminal).toBeInstanceOf(ExecutionTerminalError);
          expect((terminal as ZartError).code).toBe("EXECUTION_TERMINAL");
        }
        expect((await env.durable.status("e1")).events).toHaveLength(1);
      },
    );

    test(
      "validatesPayloadSchema",
      "validates the payload with the wait's schema: ValidationError is catchable in the task",
      async () => {
        const caught: unknown[] = [];
        const task = defineTask({
          name: "typed-event",
          async run(ctx) {
            try {
              const person = await ctx.waitForEvent("person", { schema: personSchema });
              return person.name;
            } catch (error) {
              caught.push(error);
              return "invalid";
            }
          },
        });
        const env = await h.env(task);
        await env.durable.start("good", "typed-event", null);
        await env.durable.start("bad", "typed-event", null);
        await env.durable.offerEvent("good", "person", { name: "Ann" });
        await env.durable.offerEvent("bad", "person", { name: 3 });
        await env.run();
        expect((await env.durable.status("good")).result).toBe("Ann");
        expect((await env.durable.status("bad")).result).toBe("invalid");
        expect(caught).toHaveLength(1);
        expect(caught[0]).toBeInstanceOf(ValidationError);
        expect((caught[0] as ValidationError).code).toBe("VALIDATION");
        expect((caught[0] as ValidationError).issues.length).toBeGreaterThan(0);
      },
    );
  });

  describe("no lost wake-ups", () => {
    const ITERATIONS = 500;

    test(
      "noLostWakeUpFromStep",
      `wakes every execution when the offer races the run reaching the wait (${ITERATIONS}x, offer from the step)`,
      async () => {
        const offers: Promise<unknown>[] = [];
        const task = defineTask({
          name: "race-from-step",
          async run(ctx, data: { ticks: number }) {
            await ctx.step("prep", () => {
              offers.push(
                afterTicks(data.ticks, () => env.durable.offerEvent(ctx.executionId, "go", data.ticks)),
              );
              return data.ticks;
            });
            return ctx.waitForEvent("go");
          },
        });
        const env = await h.env(task);
        for (let i = 0; i < ITERATIONS; i++)
          await env.durable.start(`e${i}`, "race-from-step", { ticks: i % 13 });
        const workers = [env.newWorker({ concurrency: 16 }), env.newWorker({ concurrency: 16 })];
        await Promise.all(workers.map((w) => w.runUntilIdle()));
        await Promise.all(offers);
        await env.run();
        expect(offers).toHaveLength(ITERATIONS);
        const completed = await env.durable.listExecutions({ status: "completed", limit: 1000 });
        expect(completed).toHaveLength(ITERATIONS);
        for (const status of completed)
          expect(status.result).toBe((status.payload as { ticks: number }).ticks);
      },
    );

    test(
      "noLostWakeUpFromClients",
      `wakes every execution when clients offer while workers run (${ITERATIONS}x)`,
      async () => {
        const task = defineTask({
          name: "race-from-client",
          async run(ctx) {
            await ctx.step("prep", () => true);
            return ctx.waitForEvent("go");
          },
        });
        const env = await h.env(task);
        const ids = Array.from({ length: ITERATIONS }, (_, i) => `e${i}`);
        for (const id of ids) await env.durable.start(id, "race-from-client", null);
        const workers = [env.newWorker({ concurrency: 8 }), env.newWorker({ concurrency: 8 })];
        await Promise.all([
          ...workers.map((w) => w.runUntilIdle()),
          ...ids.map((id, i) => afterTicks((i * 7) % 40, () => env.durable.offerEvent(id, "go", i))),
        ]);
        await env.run();
        const completed = await env.durable.listExecutions({ status: "completed", limit: 1000 });
        expect(completed).toHaveLength(ITERATIONS);
      },
    );

    test(
      "wakesWorkerByPush",
      "wakes a started worker by push when an event is offered (stores with push)",
      async (t) => {
        const env = await h.env(waitsForGo);
        t.skip(!env.scheduler.capabilities.push, "the store has no push wake-ups");
        await env.durable.start("e1", "waits-for-go", null);
        await env.run();
        expect((await env.durable.status("e1")).status).toBe("waiting");
        await env.newWorker({ pollInterval: "1h" }).start();
        await env.durable.offerEvent("e1", "go", "pushed");
        const done = await env.durable.wait("e1", { timeout: "10s", pollInterval: 5 });
        expect(done).toMatchObject({ status: "completed", result: "pushed" });
      },
    );
  });
});
