import { context, propagation, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  DurableScheduler,
  defineTask,
  ManualClock,
  silentLogger,
  TaskRegistry,
  tracingHooks,
  Worker,
} from "@zart/core";
import { MemoryScheduler } from "@zart/store-memory";
import { describe, expect, it } from "vitest";
import { spanRecorder, useW3CTraceContext } from "./fixtures/spans.js";

const receiptTask = defineTask({
  name: "receipt",
  async run(ctx) {
    await ctx.step("print", () => "printed");
  },
});

const tripTask = defineTask({
  name: "trip",
  async run(ctx) {
    await ctx.step("book", () => "b");
    await ctx.waitAll([ctx.scheduleStep("hotel", () => "h"), ctx.scheduleStep("car", () => "c")]);
    await ctx.sleep("cool-off", "1m");
    await ctx.waitForEvent("confirmed");
    await ctx.invoke(receiptTask, undefined);
    await ctx.step("notify", () => "n");
  },
});

describe("trace context persisted with the execution", () => {
  const { exporter, tracer, spans: spansOf } = spanRecorder();
  useW3CTraceContext();

  function world() {
    exporter.reset();
    const clock = new ManualClock(new Date("2030-01-01T00:00:00Z"));
    const scheduler = new MemoryScheduler({ clock });
    const registry = new TaskRegistry().register(tripTask).register(receiptTask);
    const worker = (workerId: string) =>
      new Worker({ scheduler, registry, workerId, logger: silentLogger, hooks: tracingHooks(tracer) });
    return { clock, scheduler, worker, durable: new DurableScheduler(scheduler, { registry }) };
  }

  it("makes every span of one execution, on two workers, descend from the caller's span", async () => {
    const { clock, scheduler, worker, durable } = world();
    const [first, second] = [worker("w-1"), worker("w-2")];
    const caller = await tracer.startActiveSpan("caller", async (span) => {
      await durable.startFor(tripTask, "t-1", undefined);
      span.end();
      return span.spanContext();
    });
    await first.runUntilIdle(); // book, the parallel steps, then parked on the sleep
    await first.stop();
    clock.advance("1m");
    await second.runUntilIdle(); // resumed on another worker: parked on the event
    const offerer = await tracer.startActiveSpan("offerer", async (span) => {
      await durable.offerEvent("t-1", "confirmed", true);
      span.end();
      return span.spanContext();
    });
    await second.runUntilIdle(); // the child execution, then notify
    expect((await durable.status("t-1")).status).toBe("completed");

    const { spans, parentName } = spansOf();
    const zart = spans.filter((span) => span.name.startsWith("zart."));
    // One trace: the caller's (the offerer's span is its own trace, linked below).
    expect(new Set(zart.map((span) => span.spanContext().traceId))).toEqual(new Set([caller.traceId]));

    // Every run (each parallel step's and the child execution's too) is a child of the caller's span.
    const runs = zart.filter((span) => !span.name.startsWith("zart.step"));
    expect(runs.every((span) => span.parentSpanContext?.spanId === caller.spanId)).toBe(true);
    expect(runs.map((span) => [span.name, span.attributes["zart.worker_id"]])).toEqual([
      ["zart.execution trip", "w-1"],
      ["zart.parallel trip/hotel", "w-1"],
      ["zart.parallel trip/car", "w-1"],
      ["zart.execution trip", "w-1"], // woken by the parallel steps: parks on the sleep
      ["zart.execution trip", "w-2"], // after the sleep: parks on the event
      ["zart.execution trip", "w-2"], // after the event: starts the child, parks on it
      ["zart.execution receipt", "w-2"],
      ["zart.execution trip", "w-2"], // woken by the child: completes
    ]);

    // Each step attempt is a child of the run that executed it.
    const steps = zart.filter((span) => span.name.startsWith("zart.step"));
    expect(steps.map((span) => [span.name, parentName(span)])).toEqual([
      ["zart.step book", "zart.execution trip"],
      ["zart.step hotel", "zart.parallel trip/hotel"],
      ["zart.step car", "zart.parallel trip/car"],
      ["zart.step print", "zart.execution receipt"],
      ["zart.step notify", "zart.execution trip"],
    ]);

    // The run resuming from the event wait links to the offerer's span; no other run links.
    const linked = runs.filter((span) => span.links.length > 0);
    expect(linked).toHaveLength(1);
    expect(linked[0]?.attributes["zart.worker_id"]).toBe("w-2");
    expect(linked[0]?.links[0]?.context).toMatchObject({
      traceId: offerer.traceId,
      spanId: offerer.spanId,
    });
    // What was persisted: the W3C carrier of the caller's span, and the offerer's on the event.
    const details = await scheduler.getExecution("t-1");
    expect(JSON.parse(details?.execution.traceContext ?? "{}")).toEqual({
      traceparent: `00-${caller.traceId}-${caller.spanId}-01`,
    });
    expect(details?.events[0]?.traceContext).toContain(offerer.spanId);
    expect((await scheduler.getExecution("t-1/receipt"))?.execution.traceContext).toBe(
      details?.execution.traceContext,
    );
  });

  it("persists nothing without an active span or with the no-op propagator: runs are root spans", async () => {
    const { scheduler, worker, durable } = world();
    await durable.startFor(receiptTask, "r-1", undefined); // no active span
    propagation.disable(); // an active span, but the no-op propagator
    await tracer.startActiveSpan("caller", async (span) => {
      await durable.startFor(receiptTask, "r-2", undefined);
      span.end();
    });
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    expect((await scheduler.getExecution("r-1"))?.execution.traceContext).toBeUndefined();
    expect((await scheduler.getExecution("r-2"))?.execution.traceContext).toBeUndefined();

    const w = worker("w-1");
    await w.runUntilIdle();
    await w.stop();
    const runs = spansOf().spans.filter((span) => span.name === "zart.execution receipt");
    expect(runs).toHaveLength(2);
    expect(runs.every((span) => span.parentSpanContext === undefined)).toBe(true);
    expect(trace.getSpan(context.active())).toBeUndefined();
  });

  it("traces startMany items, a rerun and a schedule trigger under their callers' spans", async () => {
    const { worker, durable } = world();
    const inSpan = (name: string, body: () => Promise<unknown>) =>
      tracer.startActiveSpan(name, async (span) => {
        await body();
        span.end();
        return span.spanContext().spanId;
      });
    const many = await inSpan("many", () =>
      durable.startMany([
        { executionId: "m-1", taskName: "receipt", data: undefined },
        { executionId: "m-2", taskName: receiptTask, data: undefined },
      ]),
    );
    const w = worker("w-1");
    await w.runUntilIdle();
    const rerun = await inSpan("rerun", () => durable.rerun("m-1", { fromStep: "print", newId: "m-1b" }));
    await durable.schedules.create({ scheduleId: "daily", task: "receipt", cron: "0 0 * * *", data: null });
    const trigger = await inSpan("trigger", () => durable.schedules.trigger("daily"));
    await w.runUntilIdle();
    await w.stop();

    const parents = new Map(
      spansOf()
        .spans.filter((span) => span.name === "zart.execution receipt")
        .map((span) => [span.attributes["zart.execution_id"], span.parentSpanContext?.spanId]),
    );
    expect(parents.get("m-1")).toBe(many);
    expect(parents.get("m-2")).toBe(many);
    expect(parents.get("m-1b")).toBe(rerun);
    const fired = [...parents.keys()].find((id) => String(id).startsWith("daily@trigger"));
    expect(parents.get(fired)).toBe(trigger);
    expect(parents.size).toBe(4);
  });

  it("runs each step body in its step span's context: spans the body starts are the step's children", async () => {
    const { scheduler } = world();
    // A body that starts its own spans, before and after an await (as instrumented clients do).
    const querying = (name: string) => async () => {
      tracer.startSpan(`${name}.before`).end();
      await new Promise((resolve) => setImmediate(resolve));
      tracer.startSpan(`${name}.after`).end();
      return name;
    };
    const userSpans = defineTask({
      name: "user-spans",
      async run(ctx) {
        await ctx.step("load", querying("load"));
        await ctx.waitAll([
          ctx.scheduleStep("left", querying("left")),
          ctx.scheduleStep("right", querying("right")),
        ]);
      },
    });
    const registry = new TaskRegistry().register(userSpans);
    await new DurableScheduler(scheduler, { registry }).startFor(userSpans, "u-1", undefined);
    const traced = new Worker({ scheduler, registry, logger: silentLogger, hooks: tracingHooks(tracer) });
    await traced.runUntilIdle();

    const { spans, parentName } = spansOf();
    const user = spans.filter((span) => !span.name.startsWith("zart."));
    expect(user.map((span) => [span.name, parentName(span)]).sort()).toEqual([
      ["left.after", "zart.step left"],
      ["left.before", "zart.step left"],
      ["load.after", "zart.step load"],
      ["load.before", "zart.step load"],
      ["right.after", "zart.step right"],
      ["right.before", "zart.step right"],
    ]);
    // Outside a step body the context is the worker's own again: no span leaks out of a step.
    expect(trace.getSpan(context.active())).toBeUndefined();
  });
});
