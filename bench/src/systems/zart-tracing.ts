/**
 * W10: Zart's `tracingHooks` on an OpenTelemetry SDK tracer, set up as an application would
 * (`BasicTracerProvider` + `BatchSpanProcessor`), with an exporter that counts the spans and drops
 * them, so the figure is the cost of tracing in the worker, not of shipping spans anywhere.
 */
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-base";
import { tracingHooks, type WorkerHooks } from "@zart/core";

/** Counts exported spans; keeps none (the in-memory exporter's result callback, with no spans). */
class CountingExporter extends InMemorySpanExporter {
  exported = 0;

  override export(spans: ReadableSpan[], done: Parameters<InMemorySpanExporter["export"]>[1]): void {
    this.exported += spans.length;
    super.export([], done);
  }
}

export interface Tracing {
  hooks: WorkerHooks;
  /** Flushes and shuts the provider down; resolves to the number of spans exported. */
  stop(): Promise<number>;
}

export function startTracing(): Tracing {
  const exporter = new CountingExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  return {
    hooks: tracingHooks(provider.getTracer("@zart/core")),
    async stop() {
      await provider.forceFlush();
      await provider.shutdown();
      return exporter.exported;
    },
  };
}
