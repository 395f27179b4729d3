import { describe, expect, it } from "vitest";
import * as z from "zod";
import * as core from "../src/index.js";
import {
  defineStep,
  defineTask,
  deserializeError,
  ManualClock,
  RetryConfig,
  SerializationError,
  StepFailedError,
  serializeError,
  TaskNotRegisteredError,
  TaskRegistry,
  toJsonText,
  toMillis,
  ValidationError,
  ZartError,
} from "../src/index.js";

describe("durations", () => {
  it("accepts milliseconds and unit strings", () => {
    expect(toMillis(250)).toBe(250);
    expect(toMillis("250ms")).toBe(250);
    expect(toMillis("30s")).toBe(30_000);
    expect(toMillis("5m")).toBe(300_000);
    expect(toMillis("24h")).toBe(86_400_000);
    expect(toMillis("7d")).toBe(604_800_000);
  });

  it("rejects anything else with a ValidationError", () => {
    for (const bad of ["5 minutes", "", "-1s", "1w"]) expect(() => toMillis(bad)).toThrow(ValidationError);
    expect(() => toMillis(-5)).toThrow(ValidationError);
    expect(() => toMillis(Number.NaN)).toThrow(ValidationError);
  });
});

describe("RetryConfig", () => {
  it("fixed(n, d) allows n retries d apart", () => {
    const retry = RetryConfig.fixed(3, "5s");
    expect(retry.retries).toBe(3);
    expect([1, 2, 3].map((n) => retry.delayBefore(n))).toEqual([5_000, 5_000, 5_000]);
  });

  it("exponential(5, 1s) waits 1, 2, 4, 8, 16 s and honours maxDelay", () => {
    expect([1, 2, 3, 4, 5].map((n) => RetryConfig.exponential(5, "1s").delayBefore(n))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000,
    ]);
    expect(RetryConfig.exponential(5, "1s", { maxDelay: "3s" }).delayBefore(5)).toBe(3_000);
  });

  it("none() never retries; negative counts are rejected", () => {
    expect(RetryConfig.none().retries).toBe(0);
    expect(() => RetryConfig.fixed(-1, 10)).toThrow(ValidationError);
  });
});

describe("JSON values", () => {
  it("keeps undefined as undefined and serializes plain data", () => {
    expect(toJsonText(undefined, "x")).toBeUndefined();
    expect(toJsonText({ a: [1, "b", null] }, "x")).toBe('{"a":[1,"b",null]}');
  });

  it("rejects what JSON cannot represent faithfully", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [
      () => 1,
      10n,
      Symbol("s"),
      Number.POSITIVE_INFINITY,
      cyclic,
      new Map(),
      { nested: 1n },
    ]) {
      expect(() => toJsonText(bad, "value")).toThrow(SerializationError);
    }
  });

  it("enforces the size limit", () => {
    expect(() => toJsonText("x".repeat(100), "value", 50)).toThrow(core.PayloadTooLargeError);
  });

  it(`accepts ${core.MAX_JSON_DEPTH} levels of nesting and rejects deeper values without overflowing`, () => {
    const nested = (depth: number, open: string, close: string) =>
      JSON.parse(`${open.repeat(depth)}1${close.repeat(depth)}`) as unknown;
    expect(toJsonText(nested(core.MAX_JSON_DEPTH, "[", "]"), "v")).toHaveLength(2 * core.MAX_JSON_DEPTH + 1);
    for (const depth of [core.MAX_JSON_DEPTH + 1, 10_000, 400_000]) {
      for (const [open, close] of [
        ["[", "]"],
        ['{"a":', "}"],
      ] as const) {
        expect(() => toJsonText(nested(depth, open, close), "The input")).toThrow(
          expect.objectContaining({
            code: "SERIALIZATION",
            message: expect.stringMatching(/nested more than 256/),
          }),
        );
      }
    }
  });

  it("names the path of a bad value and accepts a value shared by two branches", () => {
    expect(() => toJsonText({ a: [1, { b: 2n }] }, "The input")).toThrow("The input.a[1].b is a bigint");
    const shared = { x: 1 };
    expect(toJsonText({ a: shared, b: [shared] }, "v")).toBe('{"a":{"x":1},"b":[{"x":1}]}');
  });
});

describe("errors", () => {
  it("every error class has the code derived from its name", () => {
    const classes = Object.entries(core).filter(
      ([name, value]) =>
        typeof value === "function" && name.endsWith("Error") && value.prototype instanceof ZartError,
    );
    expect(classes.length).toBeGreaterThanOrEqual(17);
    for (const [name, ctor] of classes) {
      const expected = name
        .replace(/Error$/, "")
        .replace(/([a-z])([A-Z])/g, "$1_$2")
        .toUpperCase();
      // RetryAfterError takes a duration; the others take ids and messages.
      const args = name === "RetryAfterError" ? ["1s"] : ["a", "b"];
      const instance = new (ctor as new (...args: unknown[]) => ZartError)(...args);
      expect(instance.code, name).toBe(expected);
      expect(instance.name).toBe(name);
    }
  });

  it("round-trips library errors through their serialized form", () => {
    const original = new StepFailedError("step x failed", { cause: new Error("boom") });
    const rebuilt = deserializeError(serializeError(original));
    expect(rebuilt).toBeInstanceOf(StepFailedError);
    expect((rebuilt as StepFailedError).code).toBe("STEP_FAILED");
    expect((rebuilt.cause as Error).message).toBe("boom");
  });
});

describe("TaskRegistry", () => {
  const task = defineTask({
    name: "t",
    input: z.object({ a: z.number() }),
    run: async (_ctx, data) => data.a,
  });

  it("registers definitions and handlers, and refuses a name twice", () => {
    const registry = new TaskRegistry()
      .register(task)
      .register("other", { run: async () => 1, maxRetries: 2 });
    expect(registry.names()).toEqual(["t", "other"]);
    expect(registry.get("other").maxRetries).toBe(2);
    expect(() => registry.register(task)).toThrow(ValidationError);
    expect(() => registry.get("missing")).toThrow(TaskNotRegisteredError);
  });

  it("rejects invalid task options", () => {
    expect(() => new TaskRegistry().register("x", { run: async () => 1, maxRetries: -1 })).toThrow(
      ValidationError,
    );
    expect(() => new TaskRegistry().register("", { run: async () => 1 })).toThrow(ValidationError);
  });
});

describe("ambient API outside an execution", () => {
  it("defineStep refuses to run outside an execution", async () => {
    const step = defineStep("s", async () => 1);
    await expect(step()).rejects.toMatchObject({ code: "NO_EXECUTION_CONTEXT" });
    expect(() => core.context()).toThrow(ZartError);
  });
});

describe("ManualClock", () => {
  it("moves only when told to", () => {
    const clock = new ManualClock(0);
    expect(clock.now().getTime()).toBe(0);
    clock.advance("24h");
    expect(clock.now().getTime()).toBe(86_400_000);
    clock.set(new Date(10));
    expect(clock.now().getTime()).toBe(86_400_000);
  });
});

describe("ids", () => {
  it("accept printable Unicode and reject empty, oversized, control and lone-surrogate ids", () => {
    expect(() => core.assertId("order-42 ✓ 🚀", "id")).not.toThrow();
    for (const bad of ["", "x".repeat(256), "a\nb", "bad\u0000", "half\ud83d", "\ude80tail"]) {
      expect(() => core.assertId(bad, "id"), JSON.stringify(bad)).toThrow(ValidationError);
    }
  });
});
