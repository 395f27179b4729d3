import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  defineTask,
  ExecutionNotFoundError,
  MAX_ID_LENGTH,
  PayloadTooLargeError,
  SerializationError,
  StepFailedError,
  TaskNotRegisteredError,
  ValidationError,
  type ZartError,
} from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { personSchema, type TestEnv } from "../harness.js";

type ErrorClass = abstract new (...args: never[]) => ZartError;

/** Asserts that `promise` rejects with an instance of `type` carrying `code`; returns the error. */
async function rejection(promise: Promise<unknown>, type: ErrorClass, code: string): Promise<ZartError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  expect((error as ZartError).code).toBe(code);
  return error as ZartError;
}

/** Asserts that the storage holds no execution at all. */
async function expectNothingPersisted(env: TestEnv, executionId: string): Promise<void> {
  await expect(env.durable.status(executionId)).rejects.toBeInstanceOf(ExecutionNotFoundError);
  expect(await env.durable.listExecutions()).toEqual([]);
}

const LONG_ID = "x".repeat(MAX_ID_LENGTH + 1);

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const BAD_INPUT_TESTS = [
  "rejectsBadId",
  "rejectsNonJsonInput",
  "acceptsIdAtMaxLength",
  "rejectsUnknownTaskName",
  "rejectsInputFailingSchema",
  "rejectsOversizedInput",
  "rejectsMalformedDelay",
  "rejectsBadEventNames",
  "rejectsBadListOrPurge",
  "failsOversizedStepResult",
] as const;

/** SPEC §4.6: every public entry point validates its input, throws a typed error and persists nothing. */
export const badInputSuite = defineSuite("bad-input", BAD_INPUT_TESTS, (h, test) => {
  const person = defineTask({
    name: "person",
    input: personSchema,
    async run(_ctx, data) {
      return data.name;
    },
  });

  describe("start", () => {
    test.each("rejectsBadId")([
      ["an empty id", ""],
      [`an id over ${MAX_ID_LENGTH} characters`, LONG_ID],
    ])("rejects %s with ValidationError", async (_what, id) => {
      const env = await h.env(person);
      await rejection(env.durable.start(id, "person", { name: "a" }), ValidationError, "VALIDATION");
      await rejection(env.durable.startFor(person, id, { name: "a" }), ValidationError, "VALIDATION");
      await rejection(env.durable.status(id), ValidationError, "VALIDATION");
      await rejection(env.durable.cancel(id), ValidationError, "VALIDATION");
      await rejection(env.durable.offerEvent(id, "go", 1), ValidationError, "VALIDATION");
      expect(await env.durable.listExecutions()).toEqual([]);
    });

    test("acceptsIdAtMaxLength", `accepts an id of exactly ${MAX_ID_LENGTH} characters`, async () => {
      const env = await h.env(person);
      const id = "y".repeat(MAX_ID_LENGTH);
      await env.durable.start(id, "person", { name: "Ann" });
      await env.run();
      expect(await env.durable.status(id)).toMatchObject({ executionId: id, result: "Ann" });
    });

    test(
      "rejectsUnknownTaskName",
      "rejects an unknown task name with TaskNotRegisteredError when a registry is attached",
      async () => {
        const env = await h.env(person);
        await rejection(env.durable.start("e1", "nobody", {}), TaskNotRegisteredError, "TASK_NOT_REGISTERED");
        await expectNothingPersisted(env, "e1");
      },
    );

    test(
      "rejectsInputFailingSchema",
      "rejects input failing the task's schema with ValidationError carrying the issues",
      async () => {
        const env = await h.env(person);
        for (const attempt of [
          env.durable.startFor(person, "e1", { name: 42 } as never),
          env.durable.start("e1", "person", { nom: "Ann" }),
        ]) {
          const error = await rejection(attempt, ValidationError, "VALIDATION");
          expect((error as ValidationError).issues.length).toBeGreaterThan(0);
        }
        await expectNothingPersisted(env, "e1");
      },
    );

    test(
      "rejectsOversizedInput",
      "rejects input over the size limit with PayloadTooLargeError (default 1 MiB, configurable)",
      async () => {
        const env = await h.env(person);
        const huge = { name: "x".repeat(DEFAULT_MAX_PAYLOAD_BYTES) };
        await rejection(env.durable.start("e1", "person", huge), PayloadTooLargeError, "PAYLOAD_TOO_LARGE");
        const small = env.newClient({ registry: env.registry, maxPayloadBytes: 100 });
        await rejection(
          small.start("e1", "person", { name: "x".repeat(200) }),
          PayloadTooLargeError,
          "PAYLOAD_TOO_LARGE",
        );
        await expectNothingPersisted(env, "e1");
        await small.start("e2", "person", { name: "x".repeat(50) });
        expect((await env.durable.status("e2")).status).toBe("pending");
      },
    );

    test.each("rejectsNonJsonInput")([
      ["a function", () => 1],
      ["a BigInt", 1n],
      ["a nested BigInt", { name: "a", n: 1n }],
      ["NaN", Number.NaN],
    ])("rejects non-JSON input (%s) with SerializationError", async (_what, value) => {
      const env = await h.env();
      const client = env.newClient({});
      await rejection(client.start("e1", "anything", value), SerializationError, "SERIALIZATION");
      await expectNothingPersisted(env, "e1");
    });

    test("rejectsMalformedDelay", "rejects a malformed delay or runAt with ValidationError", async () => {
      const env = await h.env(person);
      await rejection(
        env.durable.start("e1", "person", { name: "a" }, { delay: "soon" as never }),
        ValidationError,
        "VALIDATION",
      );
      await rejection(
        env.durable.start("e1", "person", { name: "a" }, { runAt: new Date("not a date") }),
        ValidationError,
        "VALIDATION",
      );
      await expectNothingPersisted(env, "e1");
    });
  });

  describe("events", () => {
    test(
      "rejectsBadEventNames",
      "rejects bad event names, keys and payloads without touching the mailbox",
      async () => {
        const env = await h.env(person);
        await env.durable.start("e1", "person", { name: "a" }, { delay: "1h" });
        const offer = (name: string, payload: unknown, key?: string) =>
          env.durable.offerEvent("e1", name, payload, key === undefined ? {} : { idempotencyKey: key });
        await rejection(offer("", 1), ValidationError, "VALIDATION");
        await rejection(offer(LONG_ID, 1), ValidationError, "VALIDATION");
        await rejection(offer("go", 1, ""), ValidationError, "VALIDATION");
        await rejection(offer("go", 1, LONG_ID), ValidationError, "VALIDATION");
        await rejection(offer("go", 5n), SerializationError, "SERIALIZATION");
        await rejection(
          offer("go", () => 1),
          SerializationError,
          "SERIALIZATION",
        );
        await rejection(
          offer("go", "x".repeat(DEFAULT_MAX_PAYLOAD_BYTES)),
          PayloadTooLargeError,
          "PAYLOAD_TOO_LARGE",
        );
        expect((await env.durable.status("e1")).events).toEqual([]);
      },
    );
  });

  describe("queries", () => {
    test("rejectsBadListOrPurge", "rejects bad list and purge options with ValidationError", async () => {
      const env = await h.env();
      for (const options of [{ limit: 0 }, { limit: 1001 }, { offset: -1 }, { status: "bogus" as never }]) {
        await rejection(env.durable.listExecutions(options), ValidationError, "VALIDATION");
      }
      await rejection(
        env.durable.purge({ olderThan: "1d", statuses: ["running"] }),
        ValidationError,
        "VALIDATION",
      );
    });
  });

  describe("worker limits", () => {
    test(
      "failsOversizedStepResult",
      "fails a step whose result is over the worker's size limit with StepFailedError",
      async () => {
        let caught: unknown;
        const task = defineTask({
          name: "big-result",
          async run(ctx) {
            try {
              await ctx.step("big", () => "x".repeat(2_000));
            } catch (error) {
              caught = error;
            }
            return "handled";
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "big-result", null);
        await env.newWorker({ maxPayloadBytes: 1_000 }).runUntilIdle();
        expect(caught).toBeInstanceOf(StepFailedError);
        expect((caught as Error).cause).toBeInstanceOf(PayloadTooLargeError);
        const status = await env.durable.status("e1");
        expect(status.result).toBe("handled");
        expect(status.steps[0]).toMatchObject({ name: "big", status: "failed" });
      },
    );
  });
});
