import {
  DurableScheduler,
  defineTask,
  ExecutionAlreadyExistsError,
  type Scheduler,
  ValidationError,
} from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { personSchema } from "../harness.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const COALESCED_STARTS_TESTS = [
  "oneStoreCallPerTick",
  "answersEachAsAlone",
  "racingClientsCreateOnce",
] as const;

/** The store under test, counting the calls of its two create verbs. */
function countingCreates(target: Scheduler): { scheduler: Scheduler; calls: string[] } {
  const calls: string[] = [];
  const scheduler = new Proxy(target, {
    get(object, key) {
      const value: unknown = Reflect.get(object, key, object);
      if (typeof value !== "function") return value;
      if (key !== "createExecution" && key !== "createExecutions") return value.bind(object);
      return (...args: unknown[]) => {
        calls.push(key);
        return value.apply(object, args);
      };
    },
  });
  return { scheduler, calls };
}

/** Concurrent `durable.start()` calls go to the store as one `createExecutions`, each answered as alone. */
export const coalescedStartsSuite = defineSuite("coalesced-starts", COALESCED_STARTS_TESTS, (h, test) => {
  const person = defineTask({
    name: "person",
    input: personSchema,
    async run(ctx, data) {
      return ctx.step("greet", async () => `hello ${data.name}`);
    },
  });

  describe("coalesced starts", () => {
    test("oneStoreCallPerTick", "writes 200 starts of one tick with one createExecutions", async () => {
      const env = await h.env(person);
      const { scheduler, calls } = countingCreates(env.scheduler);
      const durable = new DurableScheduler(scheduler, { registry: env.registry });
      const ids = Array.from({ length: 200 }, (_, i) => `c${i}`);
      const results = await Promise.all(ids.map((id) => durable.start(id, "person", { name: id })));
      expect(calls).toEqual(["createExecutions"]);
      for (const [i, result] of results.entries()) {
        const status = await env.durable.status(ids[i] as string);
        expect(result).toEqual({
          executionId: ids[i],
          taskName: "person",
          status: "pending",
          scheduledAt: status.scheduledAt,
          createdAt: status.createdAt,
        });
      }
      await env.run();
      expect(await env.durable.status("c7")).toMatchObject({ status: "completed", result: "hello c7" });
    });

    test(
      "answersEachAsAlone",
      "answers each start of one batch as alone: exists, a new run, a repeated id, bad input, options",
      async () => {
        const env = await h.env(person);
        await env.durable.start("done", "person", { name: "first" });
        await env.run();
        await env.durable.start("held", "person", { name: "old" });
        const { scheduler, calls } = countingCreates(env.scheduler);
        const durable = new DurableScheduler(scheduler, { registry: env.registry });
        const later = new Date(env.clock.now().getTime() + 60_000);
        const outcomes = await Promise.allSettled([
          durable.start("held", "person", { name: "new" }),
          durable.start("done", "person", { name: "second" }),
          durable.start("twice", "person", { name: "one" }),
          durable.start("twice", "person", { name: "two" }),
          durable.start("bad", "person", { name: 1 }),
          durable.start("later", "person", { name: "l" }, { runAt: later, priority: 3 }),
        ]);
        // The repeated id waits for the next batch; the bad input never reaches the store.
        expect(calls).toEqual(["createExecutions", "createExecution"]);
        const [held, done, twice, twiceAgain, bad, delayed] = outcomes;
        expect(held).toMatchObject({ status: "rejected", reason: expect.any(ExecutionAlreadyExistsError) });
        expect(done).toMatchObject({
          status: "fulfilled",
          value: { executionId: "done", status: "pending" },
        });
        expect(twice).toMatchObject({ status: "fulfilled", value: { executionId: "twice" } });
        expect(twiceAgain).toMatchObject({
          status: "rejected",
          reason: expect.any(ExecutionAlreadyExistsError),
        });
        expect(bad).toMatchObject({ status: "rejected", reason: expect.any(ValidationError) });
        expect(delayed).toMatchObject({ status: "fulfilled", value: { scheduledAt: later } });

        expect((await env.durable.status("held")).payload).toEqual({ name: "old" });
        expect(await env.durable.status("done")).toMatchObject({ run: 2, payload: { name: "second" } });
        expect((await env.durable.status("twice")).payload).toEqual({ name: "one" });
        expect(await env.scheduler.getExecution("bad")).toBeUndefined();
        const stored = (await env.scheduler.getExecution("later"))?.execution;
        expect(stored).toMatchObject({ scheduledAt: later, priority: 3 });
      },
    );

    test(
      "racingClientsCreateOnce",
      "creates each id once when 4 clients on their own store instances start the same ids at once",
      async () => {
        const env = await h.env(person);
        const schedulers = [env.scheduler, ...(await Promise.all([1, 2, 3].map(() => env.newScheduler())))];
        const ids = Array.from({ length: 40 }, (_, i) => `r${i}`);
        const outcomes = await Promise.all(
          schedulers.map((scheduler, c) => {
            const durable = new DurableScheduler(scheduler, { registry: env.registry });
            const order = c % 2 === 0 ? ids : [...ids].reverse();
            return Promise.allSettled(order.map((id) => durable.start(id, "person", { name: `${id}-${c}` })));
          }),
        );
        const winners = new Map<string, number>();
        for (const settled of outcomes.flat()) {
          if (settled.status === "fulfilled") {
            const id = settled.value.executionId;
            winners.set(id, (winners.get(id) ?? 0) + 1);
          } else {
            expect(settled.reason).toBeInstanceOf(ExecutionAlreadyExistsError);
          }
        }
        expect([...winners.keys()].sort()).toEqual([...ids].sort());
        expect([...winners.values()].every((n) => n === 1)).toBe(true);
        const listed = await env.durable.listExecutions({ limit: 1000 });
        expect(listed.map((s) => s.executionId).sort()).toEqual([...ids].sort());
      },
      60_000,
    );
  });
});
