import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, type Harness, startHarness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  for (let i = 0; i < 5; i++) {
    await h.call("/api/v1/executions", {
      method: "POST",
      json: { task_name: "waiter", execution_id: `w${i}` },
    });
  }
  for (let i = 0; i < 3; i++) {
    await h.call("/api/v1/executions", {
      method: "POST",
      json: { task_name: "failing", execution_id: `f${i}` },
    });
  }
  for (let i = 0; i < 3; i++) await h.call(`/api/v1/executions/f${i}/wait?timeout=10s`);
});
afterAll(() => h.close());

interface Page {
  executions: { execution_id: string; status: string }[];
  next_cursor?: string;
}

describe("GET /api/v1/executions with a cursor", () => {
  it("walks all executions once with next_cursor", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await h.call(
        `/api/v1/executions?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      expect(res.status).toBe(200);
      const page = (await res.json()) as Page;
      seen.push(...page.executions.map((e) => e.execution_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.sort()).toEqual(["f0", "f1", "f2", "w0", "w1", "w2", "w3", "w4"]);
  });

  it("filters by a created time range", async () => {
    const future = new Date(Date.now() + 60_000).toISOString();
    const res = await h.call(`/api/v1/executions?created_after=${encodeURIComponent(future)}`);
    expect(((await res.json()) as Page).executions).toEqual([]);
  });

  it.each([
    ["a malformed cursor", "cursor=nope"],
    ["cursor with offset", "cursor=WzEsImEiXQ&offset=2"],
    ["a malformed created_after", "created_after=yesterday"],
  ])("is a 400 VALIDATION for %s", async (_, query) => {
    const res = await h.call(`/api/v1/executions?${query}`);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("VALIDATION");
  });
});

describe("POST /api/v1/executions:bulk", () => {
  const bulk = (json: unknown) => h.call("/api/v1/executions:bulk", { method: "POST", json });

  it("counts with dry_run and changes nothing", async () => {
    const res = await bulk({ action: "retry", filter: { task_name: "failing" }, dry_run: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ matched: 3, changed: 3, skipped: 0, skipped_reasons: {} });
    const failed = (await (await h.call("/api/v1/executions?status=failed")).json()) as Page;
    expect(failed.executions).toHaveLength(3);
  });

  it("pauses then cancels by filter, skipping what it does not apply to", async () => {
    expect(await (await bulk({ action: "pause", filter: { task_name: "waiter" } })).json()).toEqual({
      matched: 5,
      changed: 5,
      skipped: 0,
      skipped_reasons: {},
    });
    const paused = (await (await h.call("/api/v1/executions?status=paused")).json()) as Page;
    expect(paused.executions).toHaveLength(5);
    const res = await bulk({
      action: "cancel",
      filter: { created_before: new Date(Date.now() + 1000).toISOString() },
    });
    expect(await res.json()).toEqual({
      matched: 8,
      changed: 5,
      skipped: 3,
      skipped_reasons: { ALREADY_FINISHED: 3 },
    });
  });

  it.each([
    ["no filter", { action: "cancel", filter: {} }],
    ["an unknown action", { action: "explode", filter: { status: "failed" } }],
    ["an unknown status", { action: "cancel", filter: { status: "sleeping" } }],
    ["an unknown field", { action: "cancel", filter: { status: "failed" }, force: true }],
  ])("is a 400 VALIDATION for %s", async (_, json) => {
    const res = await bulk(json);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("VALIDATION");
  });

  it("needs the token", async () => {
    const res = await h.call("/api/v1/executions:bulk", {
      method: "POST",
      auth: false,
      json: { action: "cancel", filter: { status: "failed" } },
    });
    expect(res.status).toBe(401);
  });
});
