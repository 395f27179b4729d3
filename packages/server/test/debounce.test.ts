import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecutionSchema, StartBatchResultSchema } from "../src/index.js";
import { errorCode, type Harness, startHarness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const start = (json: Record<string, unknown>) => h.call("/api/v1/executions", { method: "POST", json });

describe("POST /api/v1/executions with debounce", () => {
  it("collapses starts with one key into the first execution, with the last data", async () => {
    const debounce = { key: "user-1", period: "1h", timeout: 7_200_000 };
    const first = await start({ task_name: "quick", execution_id: "deb-1", data: { n: 1 }, debounce });
    expect(first.status).toBe(201);
    const second = await start({ task_name: "quick", execution_id: "deb-2", data: { n: 2 }, debounce });
    expect(second.status).toBe(201);
    expect(second.headers.get("location")).toBe("/api/v1/executions/deb-1");
    const body = ExecutionSchema.parse(await second.json());
    expect(body).toMatchObject({ execution_id: "deb-1", status: "pending", payload: { n: 2 } });
    expect((await h.call("/api/v1/executions/deb-2")).status).toBe(404);
  });

  it("debounces batch items", async () => {
    const debounce = { key: "user-2", period: "1h" };
    const res = await h.call("/api/v1/executions:batch", {
      method: "POST",
      json: {
        items: [
          { task_name: "quick", execution_id: "batch-deb-1", data: { n: 1 }, debounce },
          { task_name: "quick", execution_id: "batch-deb-2", data: { n: 2 }, debounce },
        ],
      },
    });
    expect(res.status).toBe(200);
    const { results } = StartBatchResultSchema.parse(await res.json());
    expect(results.map((r) => [r.execution_id, r.outcome])).toEqual([
      ["batch-deb-1", "created"],
      ["batch-deb-1", "debounced"],
    ]);
  });

  it.each([
    ["an empty key", { key: "", period: "1s" }, {}],
    ["a period that is not a duration", { key: "k", period: "soon" }, {}],
    ["an unknown field", { key: "k", period: "1s", every: "1s" }, {}],
    ["run_at beside it", { key: "k", period: "1s" }, { run_at: new Date().toISOString() }],
  ])("400 VALIDATION for %s, nothing started", async (_, debounce, extra) => {
    const res = await start({ task_name: "quick", execution_id: "deb-bad", debounce, ...extra });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("VALIDATION");
    expect((await h.call("/api/v1/executions/deb-bad")).status).toBe(404);
  });
});
