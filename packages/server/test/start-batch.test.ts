import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecutionSchema, MAX_BATCH_ITEMS, StartBatchResultSchema } from "../src/index.js";
import { errorCode, type Harness, startHarness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const batch = (items: unknown[]) => h.call("/api/v1/executions:batch", { method: "POST", json: { items } });

describe("POST /api/v1/executions:batch", () => {
  it("starts every item and answers one outcome per item, in order", async () => {
    const res = await batch([
      { task_name: "quick", execution_id: "batch-1", data: { n: 1 } },
      { task_name: "quick", execution_id: "batch-2", data: { n: 2 } },
      { task_name: "waiter", execution_id: "batch-held" },
    ]);
    expect(res.status).toBe(200);
    const body = StartBatchResultSchema.parse(await res.json());
    expect(body.results).toEqual([
      { execution_id: "batch-1", outcome: "created" },
      { execution_id: "batch-2", outcome: "created" },
      { execution_id: "batch-held", outcome: "created" },
    ]);
    const done = await h.call("/api/v1/executions/batch-2/wait?timeout=30s");
    expect(ExecutionSchema.parse(await done.json())).toMatchObject({ status: "completed", result: 4 });
  });

  it("answers exists for an unfinished id and invalid, with the error, for an item the registry refuses", async () => {
    await batch([{ task_name: "waiter", execution_id: "batch-wait" }]);
    const res = await batch([
      { task_name: "waiter", execution_id: "batch-wait" },
      { task_name: "nope", execution_id: "batch-unknown" },
      { task_name: "quick", execution_id: "batch-schema", data: { n: "x" } },
      { task_name: "quick", execution_id: "batch-ok", data: { n: 3 } },
    ]);
    expect(res.status).toBe(200);
    const { results } = StartBatchResultSchema.parse(await res.json());
    expect(results.map((r) => [r.execution_id, r.outcome, r.error?.code])).toEqual([
      ["batch-wait", "exists", undefined],
      ["batch-unknown", "invalid", "TASK_NOT_REGISTERED"],
      ["batch-schema", "invalid", "VALIDATION"],
      ["batch-ok", "created", undefined],
    ]);
    expect(results[2]?.error?.details).toHaveProperty("issues");
    expect((await h.call("/api/v1/executions/batch-unknown")).status).toBe(404);
    expect((await h.call("/api/v1/executions/batch-schema")).status).toBe(404);
  });

  it("400 with per-item issues for a malformed item, and nothing started", async () => {
    const res = await batch([
      { task_name: "quick", execution_id: "batch-never", data: { n: 1 } },
      { execution_id: "batch-no-task" },
      { task_name: "quick", execution_id: "", run_at: "tomorrow" },
    ]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { issues: { path: string }[] } } };
    expect(body.error.code).toBe("VALIDATION");
    const paths = body.error.details.issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(["items.1.task_name", "items.2.execution_id", "items.2.run_at"]),
    );
    expect((await h.call("/api/v1/executions/batch-never")).status).toBe(404);
  });

  it(`400 for an empty batch or one over ${MAX_BATCH_ITEMS} items`, async () => {
    expect(await errorCode(await batch([]))).toBe("VALIDATION");
    const tooMany = Array.from({ length: MAX_BATCH_ITEMS + 1 }, (_, i) => ({
      task_name: "quick",
      execution_id: `m${i}`,
    }));
    const res = await batch(tooMany);
    expect(res.status).toBe(400);
    expect((await h.call("/api/v1/executions/m0")).status).toBe(404);
  });

  it("401 without the token", async () => {
    const res = await h.call("/api/v1/executions:batch", {
      method: "POST",
      json: { items: [] },
      auth: false,
    });
    expect(res.status).toBe(401);
  });
});
