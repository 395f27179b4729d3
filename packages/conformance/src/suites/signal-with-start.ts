import {
  DurableScheduler,
  defineTask,
  ExecutionAlreadyExistsError,
  ExecutionNotFoundError,
  TaskNotRegisteredError,
  ValidationError,
} from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { personSchema } from "../harness.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const SIGNAL_WITH_START_TESTS = [
  "createsUnknownExecution",
  "acceptsTaskByName",
  "onlyOffersToLiveExecution",
  "startsNewRunOfTerminal",
  "answersDuplicateKey",
  "rejectsBadInput",
  "validatesPayloadOfStartedTask",
  "racesPlainStart",
] as const;

/**
 * Signal-with-start: `offerEvent(id, name, payload, { startIfMissing: { task, data } })` creates
 * an unknown (or terminal) execution and puts the event in its mailbox in one store transaction;
 * a live execution only receives the event. Racing plain starts and signal-with-starts of one id
 * make one execution holding every offered event once.
 */
export const signalWithStartSuite = defineSuite("signal-with-start", SIGNAL_WITH_START_TESTS, (h, test) => {
  const greet = defineTask({
    name: "greet",
    input: personSchema,
    async run(ctx, data) {
      const event = await ctx.waitForEvent<{ greeting: string }>("hello");
      return `${event.greeting}, ${data.name}`;
    },
  });
  const start = { task: greet, data: { name: "Ada" } };

  describe("signal-with-start", () => {
    test(
      "createsUnknownExecution",
      "creates an unknown execution with the event in its mailbox, which its wait then consumes",
      async () => {
        const env = await h.env(greet);
        const offered = await env.durable.offerEvent(
          "s1",
          "hello",
          { greeting: "Hi" },
          { startIfMissing: start },
        );
        expect(offered).toEqual({ status: "delivered" });
        const created = await env.durable.status("s1");
        expect(created).toMatchObject({ name: "greet", status: "pending", payload: { name: "Ada" } });
        expect(created.events).toHaveLength(1);
        expect(created.events[0]).toMatchObject({ eventName: "hello", payload: { greeting: "Hi" } });
        await env.run();
        expect(await env.durable.status("s1")).toMatchObject({ status: "completed", result: "Hi, Ada" });
      },
    );

    test(
      "acceptsTaskByName",
      "accepts the task by name (validated against the registry's task)",
      async () => {
        const env = await h.env(greet);
        await env.durable.offerEvent(
          "s1",
          "hello",
          { greeting: "Yo" },
          {
            startIfMissing: { task: "greet", data: { name: "Bo" } },
          },
        );
        await env.run();
        expect(await env.durable.status("s1")).toMatchObject({ status: "completed", result: "Yo, Bo" });
      },
    );

    test(
      "onlyOffersToLiveExecution",
      "only offers the event to a live execution (no new run, its input kept)",
      async () => {
        const env = await h.env(greet);
        await env.durable.start("s1", "greet", { name: "Cy" });
        const before = await env.durable.status("s1");
        env.clock.advance("1s");
        await env.durable.offerEvent("s1", "hello", { greeting: "Hey" }, { startIfMissing: start });
        const after = await env.durable.status("s1");
        expect(after.createdAt).toEqual(before.createdAt);
        expect(after.payload).toEqual({ name: "Cy" });
        expect(after.events).toHaveLength(1);
        await env.run();
        expect(await env.durable.status("s1")).toMatchObject({ status: "completed", result: "Hey, Cy" });
      },
    );

    test(
      "startsNewRunOfTerminal",
      "starts a new run of a terminal execution (the restart rule), its old mailbox gone",
      async () => {
        const env = await h.env(greet);
        await env.durable.offerEvent("s1", "hello", { greeting: "Hi" }, { startIfMissing: start });
        await env.run();
        env.clock.advance("1s");
        await env.durable.offerEvent(
          "s1",
          "hello",
          { greeting: "Again" },
          {
            startIfMissing: { task: greet, data: { name: "Di" } },
          },
        );
        const rerun = await env.durable.status("s1");
        expect(rerun).toMatchObject({ status: "pending", payload: { name: "Di" }, steps: [] });
        expect(rerun.events.map((event) => event.payload)).toEqual([{ greeting: "Again" }]);
        await env.run();
        expect(await env.durable.status("s1")).toMatchObject({ status: "completed", result: "Again, Di" });
      },
    );

    test(
      "answersDuplicateKey",
      "answers a re-sent idempotency key with duplicate, even once terminal, starting nothing",
      async () => {
        const env = await h.env(greet);
        const options = { startIfMissing: start, idempotencyKey: "webhook-1" };
        expect(await env.durable.offerEvent("s1", "hello", { greeting: "Hi" }, options)).toEqual({
          status: "delivered",
        });
        expect(await env.durable.offerEvent("s1", "hello", { greeting: "Hi" }, options)).toEqual({
          status: "duplicate",
        });
        await env.run();
        const done = await env.durable.status("s1");
        expect(done.status).toBe("completed");
        expect(await env.durable.offerEvent("s1", "hello", { greeting: "Hi" }, options)).toEqual({
          status: "duplicate",
        });
        expect(await env.durable.status("s1")).toMatchObject({
          status: "completed",
          createdAt: done.createdAt,
        });
      },
    );

    test("rejectsBadInput", "rejects bad input with a typed error before anything is persisted", async () => {
      const env = await h.env(greet);
      await expect(
        env.durable.offerEvent("s1", "hello", {}, { startIfMissing: { task: greet, data: { name: 42 } } }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(
        env.durable.offerEvent("s1", "hello", {}, { startIfMissing: { task: "no-such-task", data: null } }),
      ).rejects.toBeInstanceOf(TaskNotRegisteredError);
      await expect(env.durable.offerEvent("s1", "hello", {})).rejects.toBeInstanceOf(ExecutionNotFoundError);
      expect(await env.scheduler.getExecution("s1")).toBeUndefined();
      expect(await env.durable.listExecutions()).toEqual([]);
    });

    test(
      "validatesPayloadOfStartedTask",
      "validates the payload against the started task's declared events",
      async () => {
        const typed = defineTask({
          name: "typed",
          events: { hello: personSchema },
          async run(ctx) {
            return (await ctx.waitForEvent("hello")).name;
          },
        });
        const env = await h.env(typed);
        await expect(
          env.durable.offerEvent("s1", "hello", { name: 1 }, { startIfMissing: { task: typed, data: null } }),
        ).rejects.toBeInstanceOf(ValidationError);
        await expect(
          env.durable.offerEvent(
            "s1",
            "bye",
            { name: "Ed" },
            { startIfMissing: { task: typed, data: null } },
          ),
        ).rejects.toThrow(/declares no "bye" event/);
        expect(await env.scheduler.getExecution("s1")).toBeUndefined();
      },
    );

    test(
      "racesPlainStart",
      "racing a plain start from 10 concurrent callers: one execution, every event in its mailbox once",
      async () => {
        const env = await h.env(greet);
        // Several schedulers over the same storage: on a server store, several connections.
        const others = await Promise.all([1, 2, 3].map(() => env.newScheduler()));
        const clients = [
          env.durable,
          ...others.map((scheduler) => new DurableScheduler(scheduler, { registry: env.registry })),
        ];
        for (let round = 0; round < 5; round++) {
          const id = `race-${round}`;
          const calls = Array.from({ length: 10 }, (_, caller) => {
            const client = clients[caller % clients.length]!;
            return caller % 2 === 0
              ? client.start(id, "greet", { name: `starter-${caller}` }).then(
                  () => "started" as const,
                  (error: unknown) => {
                    expect(error).toBeInstanceOf(ExecutionAlreadyExistsError);
                    return "already" as const;
                  },
                )
              : client
                  .offerEvent(
                    id,
                    "hello",
                    { greeting: `from-${caller}` },
                    {
                      startIfMissing: { task: greet, data: { name: `offerer-${caller}` } },
                    },
                  )
                  .then(({ status }) => status);
          });
          const outcomes = await Promise.all(calls);
          expect(outcomes.filter((outcome) => outcome === "started").length).toBeLessThanOrEqual(1);
          expect(outcomes.filter((outcome) => outcome === "delivered")).toHaveLength(5);
          const execution = await env.durable.status(id);
          expect(execution.status).toBe("pending");
          expect(
            execution.events.map((event) => (event.payload as { greeting: string }).greeting).sort(),
          ).toEqual(["from-1", "from-3", "from-5", "from-7", "from-9"]);
        }
        expect(await env.durable.listExecutions()).toHaveLength(5);
      },
    );
  });
});
