import { PrometheusExporter, PrometheusSerializer } from "@opentelemetry/exporter-prometheus";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { metricsHooks, type WorkerHooks } from "@zart/core";

/** The Prometheus text a `GET /metrics` answers with. */
export interface MetricsSource {
  render(): Promise<string>;
}

/** A worker's metrics, kept in memory and rendered in the Prometheus text format on scrape. */
export interface PrometheusMetrics extends MetricsSource {
  /** Hooks recording the worker's metrics (pass to `new Worker({ hooks })`). */
  readonly hooks: WorkerHooks;
}

/**
 * An OpenTelemetry meter provider of its own (the global one stays the application's) whose only
 * reader is the Prometheus exporter, pulled on each scrape rather than served on a second port.
 */
export function createPrometheusMetrics(): PrometheusMetrics {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter] });
  const serializer = new PrometheusSerializer();
  return {
    hooks: metricsHooks(provider.getMeter("@zart/core")),
    async render() {
      const { resourceMetrics } = await exporter.collect();
      return serializer.serialize(resourceMetrics);
    },
  };
}
