import { PrometheusExporter, PrometheusSerializer } from "@opentelemetry/exporter-prometheus";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { metricsHooks, observeBacklog, observeWorkers, type Scheduler, type WorkerHooks } from "@zart/core";

/** The Prometheus text a `GET /metrics` answers with. */
export interface MetricsSource {
  render(): Promise<string>;
}

/** A worker's metrics, kept in memory and rendered in the Prometheus text format on scrape. */
export interface PrometheusMetrics extends MetricsSource {
  /** Hooks recording the worker's metrics (pass to `new Worker({ hooks })`). */
  readonly hooks: WorkerHooks;
}

export interface PrometheusMetricsOptions {
  /**
   * The store whose backlog and workers each scrape reads (`zart_backlog`,
   * `zart_backlog_oldest_age_seconds` by task, one `countDue`; `zart_workers_alive`, one
   * `listWorkers`). Absent: no such gauges.
   */
  scheduler?: Scheduler;
}

/**
 * An OpenTelemetry meter provider of its own (the global one stays the application's) whose only
 * reader is the Prometheus exporter, pulled on each scrape rather than served on a second port.
 */
export function createPrometheusMetrics(options: PrometheusMetricsOptions = {}): PrometheusMetrics {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter] });
  const serializer = new PrometheusSerializer();
  const meter = provider.getMeter("@zart/core");
  if (options.scheduler) {
    observeBacklog(options.scheduler, meter);
    observeWorkers(options.scheduler, meter);
  }
  return {
    hooks: metricsHooks(meter),
    async render() {
      const { resourceMetrics } = await exporter.collect();
      return serializer.serialize(resourceMetrics);
    },
  };
}
