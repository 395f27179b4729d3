import {
  defineTask,
  ExecutionNotFoundError,
  MAX_JSON_DEPTH,
  SerializationError,
  StepFailedError,
} from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";

/** `depth` levels of `[` (or `{"a":`) around a 1, parsed: what a client sends as JSON. */
function nested(depth: number, kind: "array" | "object" = "array"): unknown {
  const [open, close] = kind === "array" ? ["[", "]"] : ['{"a":', "}"];
  return JSON.parse(`${open.repeat(depth)}1${close.repeat(depth)}`);
}

const TOO_DEEP = [MAX_JSON_DEPTH + 1, 5_000, 10_000, 400_000];

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const PAYLOAD_DEPTH_TESTS = [
  "rejectsDeepInput",
  "roundTripsAtDepthLimit",
  "rejectsDeepEventPayload",
  "failsDeepStepResult",
] as const;

/**
 * SPEC §4.6 (issue #12 item 9): inputs, event payloads and step results nested deeper than
 * `MAX_JSON_DEPTH` are a `SerializationError` at the call, never a stack overflow, and persist
 * nothing; values at the limit round-trip through the store unchanged.
 */
export const payloadDepthSuite = defineSuite("payload-depth", PAYLOAD_DEPTH_TESTS, (h, test) => {
  describe("nesting depth", () => {
    test.each("rejectsDeepInput")(TOO_DEEP)(
      "rejects input %i levels deep with SerializationError, persisting nothing",
      async (depth) => {
        const env = await h.env();
        const client = env.newClient({}); // no registry: any task name, any input
        for (const kind of ["array", "object"] as const) {
          const error = await client.start("d1", "any", nested(depth, kind)).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(SerializationError);
          expect((error as SerializationError).details).toEqual({ maxDepth: MAX_JSON_DEPTH });
        }
        await expect(env.durable.status("d1")).rejects.toBeInstanceOf(ExecutionNotFoundError);
        expect(await env.durable.listExecutions()).toEqual([]);
      },
    );

    test(
      "roundTripsAtDepthLimit",
      `stores and returns input and results exactly ${MAX_JSON_DEPTH} levels deep`,
      async () => {
        const echo = defineTask({
          name: "echo",
          async run(ctx, data: unknown) {
            return ctx.step("copy", () => data);
          },
        });
        const env = await h.env(echo);
        const deepest = nested(MAX_JSON_DEPTH, "object");
        await env.durable.start("d1", "echo", deepest);
        await env.run();
        const status = await env.durable.status("d1");
        expect(status).toMatchObject({ status: "completed", payload: deepest, result: deepest });
      },
    );

    test(
      "rejectsDeepEventPayload",
      "rejects an event payload too deep without touching the mailbox",
      async () => {
        const env = await h.env();
        const client = env.newClient({});
        await client.start("d1", "any", null, { delay: "1h" });
        for (const depth of TOO_DEEP) {
          await expect(client.offerEvent("d1", "go", nested(depth))).rejects.toBeInstanceOf(
            SerializationError,
          );
        }
        expect((await env.durable.status("d1")).events).toEqual([]);
      },
    );

    test(
      "failsDeepStepResult",
      "fails a step whose result is too deep with StepFailedError caused by SerializationError",
      async () => {
        let caught: unknown;
        const task = defineTask({
          name: "deep-result",
          async run(ctx) {
            try {
              await ctx.step("deep", () => nested(400_000));
            } catch (error) {
              caught = error;
            }
            return "handled";
          },
        });
        const env = await h.env(task);
        await env.durable.start("d1", "deep-result", null);
        await env.run();
        expect(caught).toBeInstanceOf(StepFailedError);
        expect((caught as Error).cause).toBeInstanceOf(SerializationError);
        expect((await env.durable.status("d1")).result).toBe("handled");
      },
    );
  });
});
