import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventDeliverySchema, ExecutionSchema } from "../src/index.js";
import { errorCode, type Harness, startHarness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const start = (id: string) =>
  h.call("/api/v1/executions", { method: "POST", json: { task_name: "waiter", execution_id: id, data: 1 } });
const deliver = (id: string, name: string, init: RequestInit & { json?: unknown } = {}, query = "") =>
  h.call(`/api/v1/events/${encodeURIComponent(id)}/${encodeURIComponent(name)}${query}`, {
    method: "POST",
    ...init,
  });

describe("POST /api/v1/events/{execution_id}/{event_name}", () => {
  it("200 with exactly {status, execution_id, event_name}; the execution resumes with the payload", async () => {
    await start("ev-1");
    const res = await deliver("ev-1", "go", { json: { approved: true, reviewer: "jane@example.com" } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({ status: "delivered", execution_id: "ev-1", event_name: "go" });
    EventDeliverySchema.parse(body);
    const done = ExecutionSchema.parse(
      await (await h.call("/api/v1/executions/ev-1/wait?timeout=30s")).json(),
    );
    expect(done.status).toBe("completed");
    expect(done.result).toEqual({ data: 1, event: { approved: true, reviewer: "jane@example.com" } });
    expect(done.events).toEqual([
      expect.objectContaining({ event_name: "go", consumed_at: expect.any(String) }),
    ]);
  });

  it("an event offered before the wait is kept in the mailbox; any JSON value is a payload", async () => {
    await start("ev-early");
    const other = await deliver("ev-early", "later", { json: null });
    expect(other.status).toBe(200);
    const status = ExecutionSchema.parse(await (await h.call("/api/v1/executions/ev-early")).json());
    expect(status.events).toEqual([expect.objectContaining({ event_name: "later", payload: null })]);
    expect(status.events[0]?.consumed_at).toBeUndefined();
    for (const json of [42, "text", [1, 2], false]) {
      expect((await deliver("ev-early", "later", { json })).status).toBe(200);
    }
  });

  it("Idempotency-Key makes a re-sent delivery a duplicate", async () => {
    await start("ev-idem");
    const send = () =>
      deliver("ev-idem", "other", { json: { n: 1 }, headers: { "Idempotency-Key": "key-1" } });
    expect(await (await send()).json()).toEqual({
      status: "delivered",
      execution_id: "ev-idem",
      event_name: "other",
    });
    expect(await (await send()).json()).toEqual({
      status: "duplicate",
      execution_id: "ev-idem",
      event_name: "other",
    });
    const status = ExecutionSchema.parse(await (await h.call("/api/v1/executions/ev-idem")).json());
    expect(status.events).toHaveLength(1);
    expect(status.events[0]?.idempotency_key).toBe("key-1");
  });

  it("400 for an Idempotency-Key over 255 characters", async () => {
    await start("ev-badkey");
    const res = await deliver("ev-badkey", "go", {
      json: 1,
      headers: { "Idempotency-Key": "k".repeat(256) },
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("VALIDATION");
  });

  it("404 EXECUTION_NOT_FOUND for an unknown execution", async () => {
    const res = await deliver("no-such-exec", "go", { json: {} });
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe("EXECUTION_NOT_FOUND");
  });

  it("409 EXECUTION_TERMINAL for a finished execution", async () => {
    await start("ev-done");
    await h.call("/api/v1/executions/ev-done/cancel", { method: "POST" });
    const res = await deliver("ev-done", "go", { json: {} });
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe("EXECUTION_TERMINAL");
  });

  it("400 for bad ids in the path", async () => {
    for (const [id, name] of [
      ["x".repeat(256), "go"],
      ["ok", "n".repeat(256)],
      ["a%1Fb", "go"],
      ["ok", "bell%07"],
    ] as const) {
      const res = await h.call(`/api/v1/events/${id}/${name}`, { method: "POST", json: {} });
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe("VALIDATION");
    }
  });

  it("400 INVALID_JSON for malformed JSON or an empty body", async () => {
    for (const body of ["{", "", "undefined", "[1,]"]) {
      const res = await deliver("ev-1", "go", { body, headers: { "content-type": "application/json" } });
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe("INVALID_JSON");
    }
  });

  it("415 UNSUPPORTED_MEDIA_TYPE for a body that is not JSON", async () => {
    for (const headers of [
      { "content-type": "text/plain" },
      { "content-type": "application/x-www-form-urlencoded" },
      {},
    ] as Record<string, string>[]) {
      const res = await deliver("ev-1", "go", { body: '{"a":1}', headers });
      expect(res.status).toBe(415);
      expect(await errorCode(res)).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
  });

  it("start_if_missing starts an unknown execution with the event in its mailbox (signal-with-start)", async () => {
    const res = await deliver(
      "ev-start",
      "go",
      { json: { early: true } },
      "?start_if_missing=waiter&start_data=%7B%22n%22%3A7%7D",
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "delivered", execution_id: "ev-start", event_name: "go" });
    const done = ExecutionSchema.parse(
      await (await h.call("/api/v1/executions/ev-start/wait?timeout=30s")).json(),
    );
    expect(done).toMatchObject({ status: "completed", result: { data: { n: 7 }, event: { early: true } } });
    await start("ev-live");
    const again = await deliver("ev-live", "go", { json: 2 }, "?start_if_missing=waiter");
    expect(again.status).toBe(200);
    const live = ExecutionSchema.parse(
      await (await h.call("/api/v1/executions/ev-live/wait?timeout=30s")).json(),
    );
    expect(live.result).toEqual({ data: 1, event: 2 });
  });

  it("400 for start_data that is not JSON or without start_if_missing, and for an unknown task; nothing started", async () => {
    for (const query of ["start_if_missing=waiter&start_data=%7B", "start_data=1"]) {
      const res = await deliver("ev-bad-start", "go", { json: 1 }, `?${query}`);
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe("VALIDATION");
    }
    const unknown = await deliver("ev-bad-start", "go", { json: 1 }, "?start_if_missing=no-such-task");
    expect(unknown.status).toBe(400);
    expect(await errorCode(unknown)).toBe("TASK_NOT_REGISTERED");
    expect((await h.call("/api/v1/executions/ev-bad-start")).status).toBe(404);
  });

  it("accepts application/json with a charset and +json media types", async () => {
    await start("ev-ct");
    for (const contentType of ["application/json; charset=utf-8", "application/merge-patch+json"]) {
      const res = await deliver("ev-ct", "x", { body: "1", headers: { "content-type": contentType } });
      expect(res.status).toBe(200);
    }
  });
});
