import {
  DurableScheduler,
  defineTask,
  type LogFields,
  type Logger,
  ManualClock,
  RetryConfig,
  TaskRegistry,
  Worker,
  type WorkerHooks,
} from "@zart/core";
import { MemoryScheduler } from "@zart/store-memory";
import { describe, expect, it } from "vitest";

// Lives here (not in core) because it needs a real store; `@zart/testing` already depends on one.

let chargeCalls = 0;
const orderTask = defineTask({
  name: "order",
  async run(ctx, order: { id: string }) {
    await ctx.stepWithRetry("charge", RetryConfig.fixed(1, "1s"), () => {
      if (++chargeCalls === 1) throw new Error("card declined");
      return "ch_1";
    });
    await ctx.waitAll([ctx.scheduleStep("pick", () => "picked"), ctx.scheduleStep("pack", () => "packed")]);
    await ctx.sleep("cool-off", "1m");
    await ctx.waitForEvent("review");
    return order.id;
  },
});
const brokenTask = defineTask({
  name: "broken",
  run: async () => {
    throw new Error("boom");
  },
});

function recorder() {
  const calls: string[] = [];
  const lines: { level: string; fields: LogFields; message: string }[] = [];
  const at = (level: string) => (fields: LogFields, message: string) =>
    lines.push({ level, fields, message });
  const logger: Logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  const hooks: WorkerHooks = {
    attemptStarted: (i) => calls.push(`start ${i.unit}${i.step ? `:${i.step}` : ""}`),
    attemptEnded: (i) => calls.push(`end ${i.unit}${i.step ? `:${i.step}` : ""} ${i.outcome}`),
    stepStarted: (i) => calls.push(`step ${i.step} #${i.attempt}`),
    stepEnded: (i) => calls.push(`step ${i.step} ${i.outcome}`),
    suspended: (i) => calls.push(`suspend ${i.reason} ${i.step ?? "-"}`),
  };
  return { calls, lines, logger, hooks };
}

async function setUp(hooks: WorkerHooks | WorkerHooks[], logger: Logger) {
  const clock = new ManualClock(new Date("2030-01-01T00:00:00Z"));
  const scheduler = new MemoryScheduler({ clock });
  const registry = new TaskRegistry().register(orderTask).register(brokenTask);
  const client = new DurableScheduler(scheduler, { registry });
  const worker = new Worker({ scheduler, registry, logger, hooks, workerId: "w-1" });
  return { clock, client, worker };
}

describe("Worker hooks", () => {
  it("report execution and step attempts, suspensions and wake-ups in order", async () => {
    chargeCalls = 0;
    const { calls, lines, logger, hooks } = recorder();
    const { clock, client, worker } = await setUp(hooks, logger);
    await client.startFor(orderTask, "o-1", { id: "o-1" });
    await worker.runUntilIdle();
    clock.advance("1s");
    await worker.runUntilIdle();
    clock.advance("1m");
    await worker.runUntilIdle();
    await client.offerEvent("o-1", "review", {});
    await worker.runUntilIdle();

    expect(calls.slice(0, 6)).toEqual([
      "start execution",
      "step charge #1",
      "step charge retry",
      "suspend retry charge",
      "end execution suspended",
      "start execution",
    ]);
    expect(calls).toContain("step charge #2");
    expect(calls).toContain("step charge completed");
    for (const child of ["pick", "pack"]) {
      expect(calls).toContain(`start child:${child}`);
      expect(calls).toContain(`step ${child} completed`);
      expect(calls).toContain(`end child:${child} settled`);
    }
    expect(calls).toContain("suspend sleep cool-off");
    expect(calls).toContain("suspend event review");
    expect(calls.at(-1)).toBe("end execution completed");
    expect(calls.filter((c) => c.startsWith("start")).length).toBe(
      calls.filter((c) => c.startsWith("end")).length,
    );

    // The step retry is logged once, on a child logger carrying the step's identity.
    expect(lines).toEqual([
      {
        level: "warn",
        fields: expect.objectContaining({
          executionId: "o-1",
          taskName: "order",
          step: "charge",
          attempt: 1,
          workerId: "w-1",
          error: "Error: card declined",
        }),
        message: "step attempt failed; retrying after backoff",
      },
    ]);
  });

  it("hand each …Ended callback the object its …Started got (tags kept), completed", async () => {
    chargeCalls = 0;
    const TAG = Symbol("tag");
    type Tagged = { [TAG]?: number };
    let opened = 0;
    const ends: [number | undefined, string][] = [];
    const tag = (info: object) => {
      (info as Tagged)[TAG] = ++opened;
    };
    const hooks: WorkerHooks = {
      attemptStarted: tag,
      stepStarted: tag,
      attemptEnded: (i) => ends.push([(i as Tagged)[TAG], i.outcome]),
      stepEnded: (i) => ends.push([(i as Tagged)[TAG], i.outcome]),
    };
    const { client, worker } = await setUp(hooks, recorder().logger);
    await client.startFor(orderTask, "o-2", { id: "o-2" });
    await worker.runUntilIdle();

    expect(ends.length).toBe(opened);
    expect(new Set(ends.map(([id]) => id)).size).toBe(opened);
    expect(ends[0]).toEqual([2, "retry"]); // the first step attempt: started second, after its run
    expect(ends[1]).toEqual([1, "suspended"]);
  });

  it("log a failed execution once, and a throwing hook never breaks the run", async () => {
    const { lines, logger } = recorder();
    const throwing: WorkerHooks = {
      attemptEnded: () => {
        throw new Error("hook bug");
      },
    };
    const { client, worker } = await setUp([throwing], logger);
    await client.startFor(brokenTask, "b-1", undefined);
    await worker.runUntilIdle();

    expect((await client.status("b-1")).status).toBe("failed");
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ["error", "execution failed"],
      ["error", "a worker hook threw; ignored"],
    ]);
    expect(lines[0]?.fields).toMatchObject({
      executionId: "b-1",
      taskName: "broken",
      attempt: 0,
      error: "Error: boom",
    });
  });

  it("without user hooks, still log a failed execution with its identity, and nothing for a completed one", async () => {
    const { lines, logger } = recorder();
    const { client, worker } = await setUp([], logger);
    await client.startFor(brokenTask, "b-2", undefined);
    await client.startFor(orderTask, "o-2", { id: "o-2" });
    chargeCalls = 1; // the charge succeeds at once: no step retry to log
    await worker.runUntilIdle();

    expect((await client.status("b-2")).status).toBe("failed");
    expect(lines).toEqual([
      {
        level: "error",
        fields: expect.objectContaining({
          executionId: "b-2",
          taskName: "broken",
          attempt: 0,
          workerId: "w-1",
        }),
        message: "execution failed",
      },
    ]);
  });

  it("runs each step body through the hooks' runStep wrappers, the first outermost; a wrapper that throws is skipped", async () => {
    const { lines, logger } = recorder();
    const calls: string[] = [];
    const wrapping = (name: string): WorkerHooks => ({
      runStep(info, body) {
        calls.push(`${name} in ${info.step}`);
        const result = body();
        calls.push(`${name} out ${info.step}`);
        return result;
      },
    });
    const broken: WorkerHooks = {
      runStep() {
        throw new Error("wrapper bug");
      },
    };
    const { client, worker } = await setUp([wrapping("outer"), broken, wrapping("inner")], logger);
    await client.startFor(brokenTask, "b-3", undefined);
    chargeCalls = 1;
    await client.startFor(orderTask, "o-3", { id: "o-3" });
    await worker.runUntilIdle();

    // Each body ran once, inside both working wrappers (a parallel step's body too).
    expect(calls.filter((call) => call.endsWith(" charge"))).toEqual([
      "outer in charge",
      "inner in charge",
      "inner out charge",
      "outer out charge",
    ]);
    expect(calls.filter((call) => call.startsWith("outer in")).sort()).toEqual([
      "outer in charge",
      "outer in pack",
      "outer in pick",
    ]);
    expect((await client.status("o-3")).steps.map((step) => [step.name, step.status])).toContainEqual([
      "charge",
      "completed",
    ]);
    expect(lines.filter((line) => line.fields.hook === "runStep")).toHaveLength(3);
  });
});
