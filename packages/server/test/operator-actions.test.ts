import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecutionSchema } from "../src/index.js";
import { errorCode, type Harness, startHarness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const statusOf = async (id: string) =>
  ExecutionSchema.parse(await (await h.call(`/api/v1/executions/${id}`)).json());

describe("POST /api/v1/executions/{id}/retry", () => {
  it("200 with the live status for a cancelled execution, which then runs again", async () => {
    await h.call("/api/v1/executions", {
      method: "POST",
      json: { task_name: "waiter", execution_id: "r-1" },
    });
    await h.call("/api/v1/executions/r-1/cancel", { method: "POST" });
    const res = await h.call("/api/v1/executions/r-1/retry", { method: "POST" });
    expect(res.status).toBe(200);
    const retried = ExecutionSchema.parse(await res.json());
    // The live worker may already have claimed it again by the time the status is read.
    expect(["pending", "running", "waiting"]).toContain(retried.status);
    await h.call("/api/v1/events/r-1/go", { method: "POST", json: 7 });
    const done = await h.call("/api/v1/executions/r-1/wait?timeout=30s");
    expect(ExecutionSchema.parse(await done.json()).status).toBe("completed");
  });

  it("409 EXECUTION_NOT_RETRYABLE for a live execution, changing nothing; 404 when unknown", async () => {
    await h.call("/api/v1/executions", {
      method: "POST",
      json: { task_name: "waiter", execution_id: "r-2" },
    });
    const before = await statusOf("r-2");
    const live = await h.call("/api/v1/executions/r-2/retry", { method: "POST" });
    expect(live.status).toBe(409);
    expect(await errorCode(live)).toBe("EXECUTION_NOT_RETRYABLE");
    expect(await statusOf("r-2")).toEqual(before);
    const missing = await h.call("/api/v1/executions/nobody/retry", { method: "POST" });
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("EXECUTION_NOT_FOUND");
  });

  it("401 without the token", async () => {
    const res = await h.call("/api/v1/executions/r-1/retry", { method: "POST", auth: false });
    expect(res.status).toBe(401);
  });
});

describe("POST /api/v1/executions/{id}/rerun", () => {
  it("201 with the new execution, which reruns from the step with the new input", async () => {
    await h.call("/api/v1/executions", {
      method: "POST",
      json: { task_name: "quick", execution_id: "q-1", data: { n: 2 } },
    });
    await h.call("/api/v1/executions/q-1/wait?timeout=30s");
    const original = await statusOf("q-1");
    const res = await h.call("/api/v1/executions/q-1/rerun", {
      method: "POST",
      json: { from_step: "double", new_id: "q-1-again", data: { n: 5 } },
    });
    expect(res.status).toBe(201);
    const created = ExecutionSchema.parse(await res.json());
    expect(created).toMatchObject({
      execution_id: "q-1-again",
      name: "quick",
      payload: { n: 5 },
      rerun_of: { execution_id: "q-1", from_step: "double" },
    });
    const done = await h.call("/api/v1/executions/q-1-again/wait?timeout=30s");
    expect(ExecutionSchema.parse(await done.json())).toMatchObject({ status: "completed", result: 10 });
    expect(await statusOf("q-1")).toEqual(original);
  });

  it("404 STEP_NOT_FOUND / EXECUTION_NOT_FOUND, 409 for a taken id, 400 for bad input: nothing written", async () => {
    const rerun = (id: string, json: unknown) =>
      h.call(`/api/v1/executions/${id}/rerun`, { method: "POST", json });
    const unknownStep = await rerun("q-1", { from_step: "nope", new_id: "q-x" });
    expect(unknownStep.status).toBe(404);
    expect(await errorCode(unknownStep)).toBe("STEP_NOT_FOUND");
    const missing = await rerun("nobody", { from_step: "double", new_id: "q-x" });
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("EXECUTION_NOT_FOUND");
    const taken = await rerun("q-1", { from_step: "double", new_id: "q-1-again" });
    expect(taken.status).toBe(409);
    expect(await errorCode(taken)).toBe("EXECUTION_ALREADY_EXISTS");
    const invalid = await rerun("q-1", { from_step: "double", new_id: "q-x", data: { n: "five" } });
    expect(invalid.status).toBe(400);
    expect((await h.call("/api/v1/executions/q-x")).status).toBe(404);
  });

  it("401 without the token", async () => {
    const res = await h.call("/api/v1/executions/q-1/rerun", {
      method: "POST",
      json: { from_step: "double" },
      auth: false,
    });
    expect(res.status).toBe(401);
  });
});

describe("POST /api/v1/executions/{id}/pause and /resume", () => {
  it("pauses a waiting execution (an event then wakes nothing), resumes it, and it completes", async () => {
    await h.call("/api/v1/executions", {
      method: "POST",
      json: { task_name: "waiter", execution_id: "p-1" },
    });
    const paused = await h.call("/api/v1/executions/p-1/pause", { method: "POST" });
    expect(paused.status).toBe(200);
    expect(ExecutionSchema.parse(await paused.json()).status).toBe("paused");
    await h.call("/api/v1/events/p-1/go", { method: "POST", json: 1 });
    expect((await statusOf("p-1")).status).toBe("paused");
    const resumed = await h.call("/api/v1/executions/p-1/resume", { method: "POST" });
    expect(resumed.status).toBe(200);
    const done = await h.call("/api/v1/executions/p-1/wait?timeout=30s");
    expect(ExecutionSchema.parse(await done.json()).status).toBe("completed");
  });

  it("409 EXECUTION_NOT_PAUSED / EXECUTION_NOT_PAUSABLE, changing nothing; 404 when unknown; 401 without the token", async () => {
    const before = await statusOf("p-1");
    const notPaused = await h.call("/api/v1/executions/p-1/resume", { method: "POST" });
    expect(notPaused.status).toBe(409);
    expect(await errorCode(notPaused)).toBe("EXECUTION_NOT_PAUSED");
    const finished = await h.call("/api/v1/executions/p-1/pause", { method: "POST" });
    expect(finished.status).toBe(409);
    expect(await errorCode(finished)).toBe("EXECUTION_NOT_PAUSABLE");
    expect(await statusOf("p-1")).toEqual(before);
    expect((await h.call("/api/v1/executions/nobody/pause", { method: "POST" })).status).toBe(404);
    expect((await h.call("/api/v1/executions/p-1/pause", { method: "POST", auth: false })).status).toBe(401);
  });
});
