import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, type Harness, startHarness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("POST /api/v1/purge", () => {
  it("deletes finished executions older than older_than and leaves the others", async () => {
    expect(
      (
        await h.call("/api/v1/executions", {
          method: "POST",
          json: { task_name: "quick", execution_id: "p1", data: { n: 1 } },
        })
      ).status,
    ).toBe(201);
    expect((await h.call("/api/v1/executions/p1/wait?timeout=10s")).status).toBe(200);
    await h.call("/api/v1/executions", { method: "POST", json: { task_name: "waiter", execution_id: "p2" } });

    const recent = await h.call("/api/v1/purge", { method: "POST", json: { older_than: "1h" } });
    expect(await recent.json()).toEqual({ purged: 0 });
    const res = await h.call("/api/v1/purge", {
      method: "POST",
      json: { older_than: 0, statuses: ["completed"] },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ purged: 1 });
    expect((await h.call("/api/v1/executions/p1")).status).toBe(404);
    expect((await h.call("/api/v1/executions/p2")).status).toBe(200);
  });

  it.each([
    ["a malformed duration", { older_than: "soon" }],
    ["a non-terminal status", { older_than: "1d", statuses: ["running"] }],
    ["no older_than", {}],
    ["an unknown field", { older_than: "1d", everything: true }],
  ])("is a 400 VALIDATION for %s", async (_, json) => {
    const res = await h.call("/api/v1/purge", { method: "POST", json });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("VALIDATION");
  });

  it("needs the token", async () => {
    const res = await h.call("/api/v1/purge", { method: "POST", auth: false, json: { older_than: 0 } });
    expect(res.status).toBe(401);
  });
});
