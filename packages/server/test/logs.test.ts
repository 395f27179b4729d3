import { Writable } from "node:stream";
import { MemoryScheduler } from "@zart/store-memory";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createZartApp } from "../src/index.js";
import { type Harness, startHarness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const requestLines = () => h.logger.lines.filter((line) => line.message === "request");

describe("access log and request ids", () => {
  it("keeps an incoming X-Request-Id, answers it back and logs it with the request", async () => {
    const res = await h.call("/api/v1/executions", { headers: { "x-request-id": "req-from-the-caller" } });
    expect(res.headers.get("x-request-id")).toBe("req-from-the-caller");
    expect(requestLines()).toContainEqual({
      level: "info",
      message: "request",
      fields: expect.objectContaining({
        requestId: "req-from-the-caller",
        method: "GET",
        path: "/api/v1/executions",
        status: 200,
      }),
    });
  });

  it("makes up an id when none is sent, and logs probes at debug level", async () => {
    const res = await h.call("/healthz");
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestLines()).toContainEqual(
      expect.objectContaining({
        level: "debug",
        fields: expect.objectContaining({ requestId: id, status: 200 }),
      }),
    );
  });

  it("puts the request id on an error's log line", async () => {
    const res = await h.call("/api/v1/executions/x", { headers: { "x-request-id": "req-404" } });
    expect(res.status).toBe(404);
    expect(requestLines()).toContainEqual(
      expect.objectContaining({ fields: expect.objectContaining({ requestId: "req-404", status: 404 }) }),
    );
  });
});

describe("a pino logger", () => {
  it("is taken as is: one JSON line per request, with pino's level and message fields", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    });
    const app = createZartApp({ scheduler: new MemoryScheduler(), token: false, logger: pino(sink) });
    await app.request("/api/v1/executions", { headers: { "x-request-id": "pino-1" } });
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toEqual([
      expect.objectContaining({ level: 30, msg: "request", requestId: "pino-1", status: 200, method: "GET" }),
    ]);
  });
});
