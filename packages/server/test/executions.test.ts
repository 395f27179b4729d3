import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CancelResultSchema, ExecutionListSchema, ExecutionSchema, RunListSchema } from "../src/index.js";
import { errorCode, type Harness, startHarness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const waitDone = async (id: string) => {
  const res = await h.call(`/api/v1/executions/${id}/wait?timeout=30s`);
  expect(res.status).toBe(200);
  return ExecutionSchema.parse(await res.json());
};

describe("POST /api/v1/executions", () => {
  it("201 with the status and a Location header", async () => {
    const res = await h.call("/api/v1/executions", {
      method: "POST",
      json: { task_name: "quick", execution_id: "start-1", data: { n: 21 } },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/api/v1/executions/start-1");
    const body = ExecutionSchema.parse(await res.json());
    expect(body).toMatchObject({ execution_id: "start-1", name: "quick", payload: { n: 21 }, attempt: 0 });
    const done = await waitDone("start-1");
    expect(done.status).toBe("completed");
    expect(done.result).toBe(42);
    expect(done.steps).toEqual([
      expect.objectContaining({ name: "double", kind: "step", status: "completed", result: 42 }),
    ]);
    expect(done.completed_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("generates an execution id when none is given", async () => {
    const res = await h.call("/api/v1/executions", {
      method: "POST",
      json: { task_name: "quick", data: { n: 1 } },
    });
    expect(res.status).toBe(201);
    const body = ExecutionSchema.parse(await res.json());
    expect(body.execution_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("run_at schedules a later start", async () => {
    const runAt = new Date(Date.now() + 3_600_000).toISOString();
    const res = await h.call("/api/v1/executions", {
      method: "POST",
      json: { task_name: "quick", execution_id: "later-1", data: { n: 1 }, run_at: runAt },
    });
    expect(res.status).toBe(201);
    const body = ExecutionSchema.parse(await res.json());
    expect(body.status).toBe("pending");
    expect(body.scheduled_at).toBe(runAt);
  });

  it("409 EXECUTION_ALREADY_EXISTS while the id is not finished; a finished id starts a new run", async () => {
    const start = () =>
      h.call("/api/v1/executions", { method: "POST", json: { task_name: "waiter", execution_id: "dup-1" } });
    expect((await start()).status).toBe(201);
    const again = await start();
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("EXECUTION_ALREADY_EXISTS");
    await h.call("/api/v1/executions/dup-1/cancel", { method: "POST" });
    expect((await start()).status).toBe(201);

    const runs = await h.call("/api/v1/executions/dup-1/runs");
    expect(runs.status).toBe(200);
    const listed = RunListSchema.parse(await runs.json()).runs;
    expect(listed.map((r) => [r.run, r.task])).toEqual([
      [2, "waiter"],
      [1, "waiter"],
    ]);
    expect(listed[1]).toMatchObject({ status: "cancelled", completed_at: expect.any(String) });
    const first = await h.call("/api/v1/executions/dup-1?run=1");
    expect(ExecutionSchema.parse(await first.json())).toMatchObject({ run: 1, status: "cancelled" });
    const missing = await h.call("/api/v1/executions/dup-1?run=3");
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("RUN_NOT_FOUND");
    expect((await h.call("/api/v1/executions/nope/runs")).status).toBe(404);
    expect((await h.call("/api/v1/executions/dup-1?run=0")).status).toBe(400);
  });

  it("400 TASK_NOT_REGISTERED for an unknown task", async () => {
    const res = await h.call("/api/v1/executions", { method: "POST", json: { task_name: "nope" } });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("TASK_NOT_REGISTERED");
  });

  it("400 VALIDATION for input failing the task's schema, and nothing is persisted", async () => {
    const res = await h.call("/api/v1/executions", {
      method: "POST",
      json: { task_name: "quick", execution_id: "bad-input", data: { n: "x" } },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details?: { issues?: unknown[] } } };
    expect(body.error.code).toBe("VALIDATION");
    expect(body.error.details?.issues?.length).toBeGreaterThan(0);
    expect((await h.call("/api/v1/executions/bad-input")).status).toBe(404);
  });

  it.each([
    ["missing task_name", { data: 1 }],
    ["task_name of the wrong type", { task_name: 5 }],
    ["an unknown field", { task_name: "quick", taskName: "quick" }],
    ["a bad run_at", { task_name: "quick", run_at: "tomorrow" }],
    ["an empty execution_id", { task_name: "quick", execution_id: "" }],
    ["a 256-character execution_id", { task_name: "quick", execution_id: "x".repeat(256) }],
    ["a control character in execution_id", { task_name: "quick", execution_id: "a\nb" }],
    ["a body that is not an object", [1, 2]],
  ])("400 VALIDATION for %s", async (_, json) => {
    const res = await h.call("/api/v1/executions", { method: "POST", json });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("VALIDATION");
  });

  it("400 INVALID_JSON for malformed or empty JSON", async () => {
    for (const body of ["{", "", "{'a':1}", "nul"]) {
      const res = await h.call("/api/v1/executions", {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
      });
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe("INVALID_JSON");
    }
  });
});

describe("GET /api/v1/executions", () => {
  it("parent_id lists the child executions; each names its parent and the parent shows child steps", async () => {
    await h.call("/api/v1/executions", {
      method: "POST",
      json: { task_name: "parent", execution_id: "fam-1" },
    });
    const done = await h.call("/api/v1/executions/fam-1/wait?timeout=10s");
    const parent = ExecutionSchema.parse(await done.json());
    expect(parent).toMatchObject({ status: "completed", result: 8 });
    expect(parent.steps.map((s) => s.kind)).toEqual(["child", "child"]);
    const res = await h.call("/api/v1/executions?parent_id=fam-1");
    const page = ExecutionListSchema.parse(await res.json());
    expect(page.executions.map((e) => [e.execution_id, e.name, e.parent_id])).toEqual([
      ["fam-1/quick", "quick", "fam-1"],
    ]);
    const none = ExecutionListSchema.parse(
      await (await h.call("/api/v1/executions?parent_id=nobody")).json(),
    );
    expect(none.executions).toEqual([]);
  });

  it("version lists the executions of one task version; each shows its version", async () => {
    const started = await h.call("/api/v1/executions", {
      method: "POST",
      json: { task_name: "stamped", execution_id: "stamp-1" },
    });
    expect(ExecutionSchema.parse(await started.json())).toMatchObject({ version: "2026-12-01" });
    await h.call("/api/v1/executions", {
      method: "POST",
      json: { task_name: "waiter", execution_id: "unstamped" },
    });
    const page = ExecutionListSchema.parse(
      await (await h.call("/api/v1/executions?version=2026-12-01")).json(),
    );
    expect(page.executions.map((e) => [e.execution_id, e.version])).toEqual([["stamp-1", "2026-12-01"]]);
    const none = ExecutionListSchema.parse(await (await h.call("/api/v1/executions?version=1999")).json());
    expect(none.executions).toEqual([]);
    const waiter = ExecutionSchema.parse(await (await h.call("/api/v1/executions/unstamped")).json());
    expect(waiter.version).toBeUndefined();
  });

  it("200 lists newest first with filters and paging", async () => {
    for (const id of ["list-a", "list-b", "list-c"]) {
      await h.call("/api/v1/executions", { method: "POST", json: { task_name: "waiter", execution_id: id } });
    }
    const res = await h.call("/api/v1/executions?task_name=waiter&status=waiting&limit=2");
    expect(res.status).toBe(200);
    const page = ExecutionListSchema.parse(await res.json());
    expect(page.limit).toBe(2);
    expect(page.offset).toBe(0);
    expect(page.executions).toHaveLength(2);
    expect(page.executions.every((e) => e.name === "waiter")).toBe(true);
    const all = ExecutionListSchema.parse(await (await h.call("/api/v1/executions?limit=1000")).json());
    const ids = all.executions.map((e) => e.execution_id);
    expect(ids.indexOf("list-c")).toBeLessThan(ids.indexOf("list-a"));
    const next = ExecutionListSchema.parse(
      await (await h.call("/api/v1/executions?task_name=waiter&limit=1&offset=1")).json(),
    );
    expect(next.executions).toHaveLength(1);
  });

  it.each([
    "limit=0",
    "limit=1001",
    "limit=abc",
    "offset=-1",
    "status=done",
    `task_name=${"t".repeat(300)}`,
    "version=",
  ])("400 VALIDATION for ?%s", async (query) => {
    const res = await h.call(`/api/v1/executions?${query}`);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("VALIDATION");
  });
});

describe("GET /api/v1/executions/{id}", () => {
  it("200 with steps, mailbox and snake_case dates", async () => {
    await h.call("/api/v1/executions", {
      method: "POST",
      json: { task_name: "failing", execution_id: "fail-1" },
    });
    const done = await waitDone("fail-1");
    expect(done.status).toBe("failed");
    expect(done.error).toMatchObject({ code: "NON_RETRYABLE", message: "nope" });
    const res = await h.call("/api/v1/executions/fail-1");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).every((k) => k === k.toLowerCase())).toBe(true);
    expect(JSON.stringify(body)).not.toContain("stack");
  });

  it("404 EXECUTION_NOT_FOUND, 400 for a bad id", async () => {
    const missing = await h.call("/api/v1/executions/never-started");
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("EXECUTION_NOT_FOUND");
    for (const id of ["x".repeat(256), "a%00b", "tab%09"]) {
      const res = await h.call(`/api/v1/executions/${id}`);
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe("VALIDATION");
    }
  });

  it("accepts unicode and percent-encoded ids", async () => {
    const id = "commande-été/42";
    const start = await h.call("/api/v1/executions", {
      method: "POST",
      json: { task_name: "quick", execution_id: id, data: { n: 2 } },
    });
    expect(start.status).toBe(201);
    const res = await h.call(`/api/v1/executions/${encodeURIComponent(id)}`);
    expect(res.status).toBe(200);
    expect(ExecutionSchema.parse(await res.json()).execution_id).toBe(id);
  });
});

describe("POST /api/v1/executions/{id}/cancel", () => {
  it("200 cancelled true, then false once terminal; 404 when unknown", async () => {
    await h.call("/api/v1/executions", {
      method: "POST",
      json: { task_name: "waiter", execution_id: "cancel-1" },
    });
    const first = await h.call("/api/v1/executions/cancel-1/cancel", { method: "POST" });
    expect(first.status).toBe(200);
    expect(CancelResultSchema.parse(await first.json())).toEqual({ cancelled: true });
    const second = await h.call("/api/v1/executions/cancel-1/cancel", { method: "POST" });
    expect(await second.json()).toEqual({ cancelled: false });
    const status = ExecutionSchema.parse(await (await h.call("/api/v1/executions/cancel-1")).json());
    expect(status.status).toBe("cancelled");
    const missing = await h.call("/api/v1/executions/nobody/cancel", { method: "POST" });
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("EXECUTION_NOT_FOUND");
  });
});
