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
