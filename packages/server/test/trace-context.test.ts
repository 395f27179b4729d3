import { context, propagation } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { ManualClock, silentLogger, TaskRegistry, tracingHooks, Worker } from "@zart/core";
import { MemoryScheduler } from "@zart/store-memory";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createZartApp } from "../src/index.js";
import { quickTask, waiterTask } from "./helpers.js";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";
const OFFER_SPAN = "b7ad6b7169203331";

describe("the HTTP API and W3C trace context", () => {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => {
    context.disable();
    propagation.disable();
  });

  it("puts the spans of an execution started with a traceparent header in that trace", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const scheduler = new MemoryScheduler({ clock: new ManualClock(new Date("2030-01-01T00:00:00Z")) });
    const registry = new TaskRegistry().register(quickTask).register(waiterTask);
    const app = createZartApp({ scheduler, registry, token: false, logger: silentLogger });
    const worker = new Worker({
      scheduler,
      registry,
      logger: silentLogger,
      hooks: tracingHooks(provider.getTracer("test")),
    });
    const post = (path: string, body: unknown, traceparent: string) =>
      app.request(path, {
        method: "POST",
        headers: { "content-type": "application/json", traceparent, tracestate: "vendor=1" },
        body: JSON.stringify(body),
      });

    const started = await post(
      "/api/v1/executions",
      { task_name: "quick", execution_id: "q-1", data: { n: 1 } },
      `00-${TRACE_ID}-${CALLER_SPAN}-01`,
    );
    expect(started.status).toBe(201);
    await worker.runUntilIdle();
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(["zart.step double", "zart.execution quick"]);
    expect(spans.every((span) => span.spanContext().traceId === TRACE_ID)).toBe(true);
    expect(spans[1]?.parentSpanContext).toMatchObject({ traceId: TRACE_ID, spanId: CALLER_SPAN });
    expect(spans[1]?.parentSpanContext?.traceState?.get("vendor")).toBe("1");

    // An offer carries its request's context to the event; a request without the header, none.
    await post("/api/v1/executions", { task_name: "waiter", execution_id: "w-1" }, "not-a-traceparent");
    const offered = await post("/api/v1/events/w-1/go", 1, `00-${TRACE_ID}-${OFFER_SPAN}-01`);
    expect(offered.status).toBe(200);
    const details = await scheduler.getExecution("w-1");
    expect(details?.execution.traceContext).toBeUndefined();
    expect(JSON.parse(details?.events[0]?.traceContext ?? "{}")).toMatchObject({
      traceparent: `00-${TRACE_ID}-${OFFER_SPAN}-01`,
    });
    await worker.stop();
  });
});
