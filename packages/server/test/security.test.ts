import { ZartError } from "@zart/core";
import { MemoryScheduler } from "@zart/store-memory";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createZartApp, InsecureBindError, isLoopbackHost, startServer } from "../src/index.js";
import { errorCode, type Harness, startHarness, TOKEN } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ bodyLimit: 64 * 1024 });
});
afterAll(() => h.close());

describe("bearer token", () => {
  const protectedRoutes: [string, string][] = [
    ["GET", "/api/v1/executions"],
    ["GET", "/api/v1/executions/x"],
    ["GET", "/api/v1/executions/x/wait"],
    ["POST", "/api/v1/executions/x/cancel"],
    ["POST", "/api/v1/executions"],
    ["POST", "/api/v1/events/x/y"],
  ];

  it.each(protectedRoutes)("401 UNAUTHORIZED for %s %s without a token", async (method, path) => {
    const res = await h.call(path, { method, auth: false });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await errorCode(res)).toBe("UNAUTHORIZED");
  });

  it.each([
    ["a wrong token", `Bearer ${TOKEN}x`],
    ["a prefix of the token", `Bearer ${TOKEN.slice(0, -1)}`],
    ["another scheme", `Basic ${Buffer.from(`u:${TOKEN}`).toString("base64")}`],
    ["the bare token", TOKEN],
    ["an empty bearer", "Bearer "],
  ])("401 for %s", async (_, authorization) => {
    const res = await h.call("/api/v1/executions", { auth: false, headers: { authorization } });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("UNAUTHORIZED");
  });

  it("checks the token before reading the body (a huge body without a token is a 401)", async () => {
    const res = await h.call("/api/v1/events/x/y", {
      method: "POST",
      auth: false,
      body: "x".repeat(200_000),
      headers: { "content-type": "text/plain" },
    });
    expect(res.status).toBe(401);
  });

  it("accepts the right token in any case of the scheme", async () => {
    const res = await h.call("/api/v1/executions", {
      auth: false,
      headers: { authorization: `bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
  });

  it("leaves /healthz, /readyz and the OpenAPI document open", async () => {
    for (const path of ["/healthz", "/readyz", "/api/v1/openapi.json"]) {
      expect((await h.call(path, { auth: false })).status).toBe(200);
    }
  });

  describe("ZART_API_TOKEN", () => {
    const saved = process.env.ZART_API_TOKEN;
    afterEach(() => {
      if (saved === undefined) delete process.env.ZART_API_TOKEN;
      else process.env.ZART_API_TOKEN = saved;
    });

    it("is the default token; `token: false` turns authentication off", async () => {
      process.env.ZART_API_TOKEN = "from-env";
      const scheduler = new MemoryScheduler();
      const app = createZartApp({ scheduler });
      expect((await app.request("/api/v1/executions")).status).toBe(401);
      const ok = await app.request("/api/v1/executions", { headers: { authorization: "Bearer from-env" } });
      expect(ok.status).toBe(200);
      const open = createZartApp({ scheduler, token: false });
      expect((await open.request("/api/v1/executions")).status).toBe(200);
    });
  });
});

describe("binding", () => {
  it("refuses a non-loopback host without a token, with a typed error that says why", async () => {
    const saved = process.env.ZART_API_TOKEN;
    delete process.env.ZART_API_TOKEN;
    try {
      for (const host of ["0.0.0.0", "::", "192.168.1.10", "example.com"]) {
        const error = await startServer({ scheduler: new MemoryScheduler(), host, port: 0 }).catch((e) => e);
        expect(error).toBeInstanceOf(InsecureBindError);
        expect(error).toBeInstanceOf(ZartError);
        expect((error as InsecureBindError).code).toBe("INSECURE_BIND");
        expect((error as Error).message).toContain(host);
      }
    } finally {
      if (saved !== undefined) process.env.ZART_API_TOKEN = saved;
    }
  });

  it("binds to any host when a token is set, and to loopback without one", async () => {
    const withToken = await startServer({
      scheduler: new MemoryScheduler(),
      host: "0.0.0.0",
      port: 0,
      token: "t",
    });
    expect(withToken.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    await withToken.close();
    const loopback = await startServer({
      scheduler: new MemoryScheduler(),
      host: "localhost",
      port: 0,
      token: false,
    });
    expect((await fetch(`${loopback.url}/healthz`)).status).toBe(200);
    await loopback.close();
    await loopback.close();
  });

  it("knows loopback addresses", () => {
    for (const host of [
      "127.0.0.1",
      "127.1.2.3",
      "::1",
      "[::1]",
      "localhost",
      "LOCALHOST",
      "::ffff:127.0.0.1",
    ]) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    for (const host of ["0.0.0.0", "::", "10.0.0.1", "localhost.example.com", "128.0.0.1", ""]) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });
});

describe("limits and envelopes", () => {
  it("413 PAYLOAD_TOO_LARGE past the body limit, with Content-Length or chunked", async () => {
    const big = JSON.stringify({ blob: "x".repeat(70 * 1024) });
    const sized = await h.call("/api/v1/events/x/y", {
      method: "POST",
      body: big,
      headers: { "content-type": "application/json" },
    });
    expect(sized.status).toBe(413);
    expect(await errorCode(sized)).toBe("PAYLOAD_TOO_LARGE");
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 80; i++) controller.enqueue(new TextEncoder().encode("x".repeat(1024)));
        controller.close();
      },
    });
    const chunked = await h.call("/api/v1/executions", {
      method: "POST",
      body: chunks,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await errorCode(chunked)).toBe("PAYLOAD_TOO_LARGE");
  });

  it("the default limit is 1 MiB", async () => {
    const app = createZartApp({ scheduler: new MemoryScheduler(), token: false });
    const body = JSON.stringify("x".repeat(1024 * 1024));
    const res = await app.request("/api/v1/events/a/b", {
      method: "POST",
      body,
      headers: { "content-type": "application/json", "content-length": String(body.length) },
    });
    expect(res.status).toBe(413);
  });

  it("404 NOT_FOUND for unknown routes and 405 METHOD_NOT_ALLOWED (with Allow) for wrong methods", async () => {
    const unknown = await h.call("/api/v1/nothing-here");
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe("NOT_FOUND");
    for (const [method, path, allow] of [
      ["DELETE", "/api/v1/executions/x", "GET"],
      ["GET", "/api/v1/events/x/y", "POST"],
      ["PUT", "/api/v1/executions", "GET, POST"],
      ["GET", "/api/v1/executions/x/cancel", "POST"],
    ] as const) {
      const res = await h.call(path, { method });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")?.split(", ").sort()).toEqual(allow.split(", ").sort());
      expect(await errorCode(res)).toBe("METHOD_NOT_ALLOWED");
    }
  });
});
