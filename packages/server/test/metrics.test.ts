import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { getRequestListener } from "@hono/node-server";
import { DurableScheduler, ManualClock, TaskRegistry, Worker } from "@zart/core";
import { MemoryScheduler } from "@zart/store-memory";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createPrometheusMetrics, createZartApp } from "../src/index.js";
import { failingTask, quickTask } from "./helpers.js";

function setUp() {
  const clock = new ManualClock(new Date("2030-01-01T00:00:00Z"));
  const scheduler = new MemoryScheduler({ clock });
  const registry = new TaskRegistry().register(quickTask).register(failingTask);
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const metrics = createPrometheusMetrics({ scheduler });
  const worker = new Worker({
    scheduler,
    registry,
    logger: pino(sink),
    hooks: metrics.hooks,
    workerId: "w-1",
  });
  const app = createZartApp({ scheduler, registry, token: false, metrics });
  const client = new DurableScheduler(scheduler, { registry });
  return { clock, scheduler, client, worker, app, lines };
}

/** `name{labels}` → value, from a scrape parsed by a Prometheus text-format parser. */
async function scrape(app: ReturnType<typeof createZartApp>): Promise<Map<string, number>> {
  const res = await app.request("/metrics");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const family of parsePrometheusTextFormat(await res.text())) {
    for (const sample of family.metrics) {
      const labels = Object.entries(sample.labels ?? {})
        .filter(([name]) => !name.startsWith("otel_"))
        .map(([name, value]) => `${name}=${value}`)
        .sort()
        .join(",");
      // The parser keeps only the buckets of a histogram sample (no labels): read its +Inf bucket.
      samples.set(`${family.name}{${labels}}`, Number(sample.value ?? sample.buckets?.["+Inf"]));
    }
  }
  return samples;
}

describe("GET /metrics", () => {
  it("shows the worker's counters and histograms moving, in Prometheus text", async () => {
    const { client, worker, app, lines } = setUp();
    const before = await scrape(app);
    expect(before.get("zart_executions_ended_total{status=completed,task=quick}")).toBeUndefined();

    await client.startFor(quickTask, "q-1", { n: 1 });
    await client.startFor(quickTask, "q-2", { n: 2 });
    await client.startFor(failingTask, "f-1", undefined);
    await worker.runUntilIdle();

    const after = await scrape(app);
    expect(after.get("zart_executions_started_total{task=quick}")).toBe(2);
    expect(after.get("zart_executions_ended_total{status=completed,task=quick}")).toBe(2);
    expect(after.get("zart_executions_ended_total{status=failed,task=failing}")).toBe(1);
    expect(after.get("zart_step_attempts_total{kind=step,outcome=completed,step=double,task=quick}")).toBe(2);
    expect(after.get("zart_step_duration{}")).toBe(2); // two observations (one series)
    expect(after.has("zart_wakeup_lag{}")).toBe(true);

    // One JSON line for the one failure, carrying the execution's identity.
    const failures = lines.filter((line) => (line.level as number) >= 40);
    expect(failures).toEqual([
      expect.objectContaining({
        level: 50,
        msg: "execution failed",
        executionId: "f-1",
        taskName: "failing",
        attempt: 0,
        workerId: "w-1",
        error: "NonRetryableError: nope",
      }),
    ]);
  });

  it("shows the backlog per task and its oldest due age moving with the store's due work", async () => {
    const { clock, client, worker, app } = setUp();
    expect([...(await scrape(app)).keys()].some((name) => name.startsWith("zart_backlog"))).toBe(false);

    await client.startFor(quickTask, "q-1", { n: 1 });
    clock.advance("10s");
    await client.startFor(quickTask, "q-2", { n: 2 });
    await client.startFor(failingTask, "f-1", undefined, { delay: "1m" }); // not due yet
    clock.advance("5s");
    let samples = await scrape(app);
    expect(samples.get("zart_backlog{task=quick}")).toBe(2);
    expect(samples.get("zart_backlog_oldest_age{task=quick}")).toBe(15);
    expect(samples.has("zart_backlog{task=failing}")).toBe(false);

    clock.advance("1m");
    samples = await scrape(app);
    expect(samples.get("zart_backlog{task=quick}")).toBe(2);
    expect(samples.get("zart_backlog_oldest_age{task=quick}")).toBe(75);
    expect(samples.get("zart_backlog{task=failing}")).toBe(1);

    // Claimed and run: the backlog drains to 0 (reported once).
    await worker.runUntilIdle();
    samples = await scrape(app);
    expect(samples.get("zart_backlog{task=quick}")).toBe(0);
    expect(samples.get("zart_backlog{task=failing}")).toBe(0);
    expect(samples.get("zart_backlog_oldest_age{task=quick}")).toBe(0);
  });

  it("counts the workers whose heartbeat is fresh in zart_workers_alive, scraped over HTTP", async () => {
    const { clock, scheduler, app } = setUp();
    const server = createServer(getRequestListener(app.fetch));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    const alive = async () => {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      const family = parsePrometheusTextFormat(await res.text()).find((f) => f.name === "zart_workers_alive");
      return Number(family?.metrics[0]?.value);
    };
    try {
      expect(await alive()).toBe(0);
      const worker = (workerId: string, leaseMs: number) => ({
        workerId,
        host: "h",
        pid: 1,
        taskNames: ["quick"],
        concurrency: 1,
        leaseMs,
        startedAt: clock.now(),
      });
      await scheduler.heartbeatWorker(worker("short", 10_000), clock.now());
      await scheduler.heartbeatWorker(worker("long", 60_000), clock.now());
      expect(await alive()).toBe(2);
      clock.advance("30s"); // "short" missed its lease: gone, still registered
      expect(await alive()).toBe(1);
      await scheduler.removeWorker("long");
      expect(await alive()).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("is absent when the app has no metrics", async () => {
    const app = createZartApp({ scheduler: new MemoryScheduler(), token: false });
    expect((await app.request("/metrics")).status).toBe(404);
  });
});
