import type { Hono } from "hono";
import type { MetricsSource } from "../prometheus-metrics.js";

/** `GET /metrics` in the Prometheus text format; open like `/healthz` (no execution data in it). */
export function registerMetricsRoute(app: Pick<Hono, "get">, metrics: MetricsSource): void {
  app.get("/metrics", async (c) =>
    c.body(await metrics.render(), 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" }),
  );
}
