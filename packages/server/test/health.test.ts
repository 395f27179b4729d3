import type { Scheduler } from "@zart/core";
import { StoreUnavailableError } from "@zart/core";
import { MemoryScheduler } from "@zart/store-memory";
import { describe, expect, it } from "vitest";
import { createZartApp, ErrorEnvelopeSchema, HealthSchema } from "../src/index.js";
import { recordingLogger, startHarness } from "./helpers.js";

/** A scheduler whose `method` throws `error`. */
function breaking(method: keyof Scheduler, error: unknown): Scheduler {
  const memory = new MemoryScheduler();
  return new Proxy(memory, {
    get(target, key, receiver) {
      if (key === method) return () => Promise.reject(error);
      const value = Reflect.get(target, key, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as Scheduler;
}

describe("health", () => {
  it("GET /healthz and /readyz answer 200 over a real server", async () => {
    const h = await startHarness();
    try {
      const health = await h.call("/healthz", { auth: false });
      expect(health.status).toBe(200);
      expect(HealthSchema.parse(await health.json())).toEqual({ status: "ok" });
      const ready = await h.call("/readyz", { auth: false });
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: "ready" });
    } finally {
      await h.close();
    }
  });

  it("GET /readyz is a 503 STORE_UNAVAILABLE when the store does not answer its ping", async () => {
    const logger = recordingLogger();
    const secret = "connect ECONNREFUSED 10.1.2.3:5432 password=hunter2";
    const app = createZartApp({
      scheduler: breaking("ping", new StoreUnavailableError(secret)),
      token: false,
      logger,
    });
    const res = await app.request("/readyz");
    expect(res.status).toBe(503);
    const body = ErrorEnvelopeSchema.parse(await res.json());
    expect(body.error.code).toBe("STORE_UNAVAILABLE");
    expect(body.error.message).not.toContain("hunter2");
    const plain = createZartApp({
      scheduler: breaking("ping", new Error("socket hang up")),
      token: false,
      logger,
    });
    expect((await plain.request("/readyz")).status).toBe(503);
  });

  it("an unexpected error is a 500 INTERNAL with a generic message, logged, never a stack trace", async () => {
    const logger = recordingLogger();
    const boom = new TypeError(
      "cannot read properties of undefined (reading 'x') at /srv/secret/path.js:1:2",
    );
    const app = createZartApp({ scheduler: breaking("getExecution", boom), token: false, logger });
    const res = await app.request("/api/v1/executions/some-id");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: "INTERNAL", message: "Internal server error; see the server log." },
    });
    expect(text).not.toContain("secret");
    expect(
      logger.lines.some((l) => l.level === "error" && JSON.stringify(l.fields).includes("TypeError")),
    ).toBe(true);
  });
});

describe("GET /api/v1/openapi.json", () => {
  it("documents every route, generated from the zod schemas", async () => {
    const app = createZartApp({ scheduler: new MemoryScheduler(), token: "t" });
    const res = await app.request("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/api/v1/events/{execution_id}/{event_name}",
        "/api/v1/executions",
        "/api/v1/executions/{execution_id}",
        "/api/v1/executions/{execution_id}/cancel",
        "/api/v1/executions/{execution_id}/pause",
        "/api/v1/executions/{execution_id}/rerun",
        "/api/v1/executions/{execution_id}/resume",
        "/api/v1/executions/{execution_id}/retry",
        "/api/v1/executions/{execution_id}/runs",
        "/api/v1/executions/{execution_id}/wait",
        "/api/v1/executions:batch",
        "/api/v1/executions:bulk",
        "/api/v1/pause-rules",
        "/api/v1/pause-rules/{rule_id}",
        "/api/v1/purge",
        "/api/v1/queues",
        "/api/v1/schedules",
        "/api/v1/schedules/{schedule_id}",
        "/api/v1/schedules/{schedule_id}/pause",
        "/api/v1/schedules/{schedule_id}/resume",
        "/api/v1/schedules/{schedule_id}/trigger",
        "/api/v1/workers",
        "/healthz",
        "/readyz",
      ].sort(),
    );
    expect(Object.keys(doc.paths["/api/v1/executions"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(doc.paths["/api/v1/executions"]?.post?.responses).toHaveProperty("201");
    expect(doc.paths["/api/v1/events/{execution_id}/{event_name}"]?.post?.responses).toHaveProperty("415");
    for (const name of ["Execution", "Step", "MailboxEvent", "Error", "EventDelivery", "StartExecution"]) {
      expect(doc.components.schemas).toHaveProperty(name);
    }
    expect(doc.components.securitySchemes).toHaveProperty("bearerAuth");
  });
});
