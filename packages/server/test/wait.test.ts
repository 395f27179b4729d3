import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { Scheduler } from "@zart/core";
import { MemoryScheduler } from "@zart/store-memory";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createZartApp, ExecutionSchema, parseWaitTimeout } from "../src/index.js";
import { errorCode, type Harness, startHarness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const start = (id: string, task = "waiter", data: unknown = 1) =>
  h.call("/api/v1/executions", { method: "POST", json: { task_name: task, execution_id: id, data } });

describe("GET /api/v1/executions/{id}/wait", () => {
  it("returns the terminal status as soon as the execution finishes", async () => {
    await start("w-1");
    const waiting = h.call("/api/v1/executions/w-1/wait?timeout=1m");
    await h.call("/api/v1/events/w-1/go", { method: "POST", json: "ok" });
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = ExecutionSchema.parse(await res.json());
    expect(body.status).toBe("completed");
    expect(body.result).toEqual({ data: 1, event: "ok" });
  });

  it("answers 200 with the not-yet-terminal status when the timeout passes", async () => {
    await start("w-2");
    for (const timeout of ["0", "50ms", "0.1s"]) {
      const res = await h.call(`/api/v1/executions/w-2/wait?timeout=${timeout}`);
      expect(res.status).toBe(200);
      expect(ExecutionSchema.parse(await res.json()).status).toMatch(/^(pending|running|waiting)$/);
    }
  });

  it.each(["5m1s", "301s", "6m", "1h", "300001", "soon", "-1s", "1.5.5s"])(
    "400 VALIDATION for timeout=%s",
    async (t) => {
      await start("w-3").catch(() => undefined);
      const res = await h.call(`/api/v1/executions/w-3/wait?timeout=${t}`);
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe("VALIDATION");
    },
  );

  it("404 for an unknown execution, 400 for a bad id", async () => {
    const missing = await h.call("/api/v1/executions/nobody/wait?timeout=1s");
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("EXECUTION_NOT_FOUND");
    const bad = await h.call(`/api/v1/executions/${"x".repeat(300)}/wait`);
    expect(bad.status).toBe(400);
  });

  it("parses durations and bare milliseconds; 5 minutes is the maximum", () => {
    expect(parseWaitTimeout(undefined)).toBe(30_000);
    expect(parseWaitTimeout("5m")).toBe(300_000);
    expect(parseWaitTimeout("1500")).toBe(1500);
    expect(() => parseWaitTimeout("5m1ms")).toThrow();
  });
});

describe("long-poll cancellation (mounted into a parent Hono app)", () => {
  it("stops polling the store when the client disconnects", async () => {
    const memory = new MemoryScheduler();
    let reads = 0;
    // Counts status reads so the test knows the long poll is under way.
    const scheduler = new Proxy(memory, {
      get(target, key, receiver) {
        if (key === "getExecution") {
          return (id: string) => {
            reads++;
            return target.getExecution(id);
          };
        }
        const value = Reflect.get(target, key, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    }) as Scheduler;
    const finished: string[] = [];
    const parent = new Hono();
    parent.use(async (c, next) => {
      await next();
      finished.push(c.req.path);
    });
    parent.route("/", createZartApp({ scheduler, token: false }));
    const server = createServer(getRequestListener(parent.fetch));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await memory.createExecution(
        { executionId: "held", taskName: "nobody-runs-this", payload: "null", runAt: new Date() },
        new Date(),
      );
      const controller = new AbortController();
      const request = fetch(`${url}/api/v1/executions/held/wait?timeout=5m`, { signal: controller.signal });
      request.catch(() => undefined);
      await vi.waitFor(() => expect(reads).toBeGreaterThanOrEqual(2), { timeout: 10_000, interval: 20 });
      expect(finished).not.toContain("/api/v1/executions/held/wait");
      controller.abort();
      await expect(request).rejects.toThrow();
      // Without cancellation the handler would hold for five minutes.
      await vi.waitFor(() => expect(finished).toContain("/api/v1/executions/held/wait"), {
        timeout: 10_000,
        interval: 20,
      });
      const after = reads;
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(reads - after).toBeLessThanOrEqual(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await memory.close();
    }
  });

  it("ends pending long polls when the standalone server closes", async () => {
    const other = await startHarness();
    await other.call("/api/v1/executions", {
      method: "POST",
      json: { task_name: "waiter", execution_id: "hold" },
    });
    const pending = other.call("/api/v1/executions/hold/wait?timeout=5m").then(
      (res) => res.status,
      () => "disconnected",
    );
    await vi.waitFor(async () => {
      const list = await other.call("/api/v1/executions/hold");
      expect(list.status).toBe(200);
    });
    await other.close();
    expect([503, "disconnected"]).toContain(await pending);
  });
});
