import { SpanStatusCode, type Tracer } from "@opentelemetry/api";
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
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
import { spanRecorder } from "./fixtures/spans.js";

const shipTask = defineTask({
  name: "ship",
  async run(ctx) {
    await ctx.step("reserve", () => "r");
    await ctx.waitAll([ctx.scheduleStep("pick", () => "p"), ctx.scheduleStep("pack", () => "k")]);
    await ctx.sleep("cool-off", "1m");
    await ctx.waitForEvent("approved");
    await ctx.step("notify", () => {
      throw new Error("mail server down");
    });
  },
});

describe("tracingHooks", () => {
  it("traces each run with its step attempts as children, suspensions as events, errors with status", async () => {
    const recorder = spanRecorder();
    const clock = new ManualClock(new Date("2030-01-01T00:00:00Z"));
    const scheduler = new MemoryScheduler({ clock });
    const registry = new TaskRegistry().register(shipTask);
    const worker = (id: string) =>
      new Worker({
        scheduler,
        registry,
        workerId: id,
        logger: silentLogger,
        hooks: tracingHooks(recorder.tracer),
      });
    const [first, second] = [worker("w-1"), worker("w-2")];
    await new DurableScheduler(scheduler, { registry }).startFor(shipTask, "s-1", undefined);
    await first.runUntilIdle();
    clock.advance("1m");
    await second.runUntilIdle(); // resumed on another worker
    await scheduler.offerEvent({ executionId: "s-1", eventName: "approved", payload: "true" }, clock.now());
    await second.runUntilIdle();

    const { spans, parentName } = recorder.spans();
    const runs = spans.filter(
      (span) => span.name.startsWith("zart.execution") || span.name.startsWith("zart.parallel"),
    );
    expect(runs.every((span) => parentName(span) === undefined)).toBe(true);
    expect(runs.every((span) => span.attributes["zart.execution_id"] === "s-1")).toBe(true);

    // Each step attempt is a child of the run that executed it.
    const steps = spans.filter((span) => span.name.startsWith("zart.step"));
    expect(steps.map((span) => [span.name, parentName(span)])).toEqual([
      ["zart.step reserve", "zart.execution ship"],
      ["zart.step pick", "zart.parallel ship/pick"],
      ["zart.step pack", "zart.parallel ship/pack"],
      ["zart.step notify", "zart.execution ship"],
    ]);

    // The execution's runs: parked on the parallel steps, the sleep, the event; then failed.
    const executionRuns = runs.filter((span) => span.name === "zart.execution ship");
    expect(
      executionRuns.map((span) => [span.attributes["zart.worker_id"], span.attributes["zart.outcome"]]),
    ).toEqual([
      ["w-1", "suspended"],
      ["w-1", "suspended"],
      ["w-2", "suspended"],
      ["w-2", "failed"],
    ]);
    const events = executionRuns.flatMap((span) => span.events.map((event) => event.name));
    expect(events).toEqual(["zart.suspend.sleep", "zart.suspend.event", "exception"]);
    // The wake-up after the sleep: claimed exactly at its due time (the clock is manual).
    expect(executionRuns[2]?.attributes).toMatchObject({ "zart.replay": true, "zart.wakeup_lag_ms": 0 });

    const notify = steps.find((span) => span.name === "zart.step notify");
    expect(notify?.status).toEqual({ code: SpanStatusCode.ERROR, message: "mail server down" });
    expect(executionRuns.at(-1)?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("starts no step spans in a run its sampler dropped", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const sdkTracer = provider.getTracer("test");
    const started: string[] = [];
    const tracer: Tracer = {
      startSpan: (name, options, context) => {
        started.push(name);
        return sdkTracer.startSpan(name, options, context);
      },
      startActiveSpan: sdkTracer.startActiveSpan.bind(sdkTracer) as Tracer["startActiveSpan"],
    };
    const scheduler = new MemoryScheduler();
    const registry = new TaskRegistry().register(shipTask);
    const worker = new Worker({ scheduler, registry, logger: silentLogger, hooks: tracingHooks(tracer) });
    await new DurableScheduler(scheduler, { registry }).startFor(shipTask, "s-2", undefined);
    await worker.runUntilIdle();

    expect(started).toEqual([
      "zart.execution ship",
      "zart.parallel ship/pick",
      "zart.parallel ship/pack",
      "zart.execution ship",
    ]);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
