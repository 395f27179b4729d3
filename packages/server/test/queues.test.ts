import { defineQueue, defineTask, TaskRegistry } from "@zart/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, quickTask, startHarness } from "./helpers.js";

// A queue task the server knows (so it shows limits) but its worker does not run: work stays put.
const exportsQueue = defineQueue({
  name: "exports",
  concurrency: { limit: 1, key: (data: { tenant: string }) => data.tenant },
});
const exportTask = defineTask({ name: "export", queue: exportsQueue, run: async () => "done" });

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ registry: new TaskRegistry().register(quickTask).register(exportTask) });
  for (const [id, tenant] of [
    ["x1", "t7"],
    ["x2", "t7"],
    ["x3", "t8"],
  ]) {
    const res = await h.call("/api/v1/executions", {
      method: "POST",
      json: { execution_id: id, task_name: "export", data: { tenant } },
    });
    expect(res.status).toBe(201);
  }
  const now = h.scheduler.clock.now();
  await h.scheduler.claim({
    workerId: "elsewhere",
    taskNames: ["export"],
    limit: 1,
    leaseMs: 60_000,
    now,
    concurrencyLimits: { export: 1 },
  });
});
afterAll(() => h.close());

describe("GET /api/v1/queues", () => {
  it("lists running and due work per queue key, with the limit the server knows", async () => {
    const res = await h.call("/api/v1/queues");
    expect(res.status).toBe(200);
    const { queues } = (await res.json()) as { queues: Record<string, unknown>[] };
    expect(queues).toEqual([
      { queue: "exports", key: "t7", limit: 1, running: 1, due: 1, delayed: 0 },
      { queue: "exports", key: "t8", limit: 1, running: 0, due: 1, delayed: 0 },
    ]);
  });

  it("requires the token", async () => {
    expect((await h.call("/api/v1/queues", { auth: false })).status).toBe(401);
  });
});

describe("GET /api/v1/executions?queue=", () => {
  it("lists the queue's executions only", async () => {
    await h.call("/api/v1/executions", {
      method: "POST",
      json: { execution_id: "q1", task_name: "quick", data: { n: 1 } },
    });
    const res = await h.call("/api/v1/executions?queue=exports");
    expect(res.status).toBe(200);
    const { executions } = (await res.json()) as { executions: { execution_id: string }[] };
    expect(executions.map((e) => e.execution_id).sort()).toEqual(["x1", "x2", "x3"]);
    expect((await h.call("/api/v1/executions?queue=")).status).toBe(400);
  });
});

describe("pending_reason on GET /api/v1/executions/{id}", () => {
  it("says which limit holds a pending execution back", async () => {
    await h.scheduler.heartbeatWorker(
      {
        workerId: "elsewhere",
        host: "h",
        pid: 1,
        taskNames: ["export"],
        concurrency: 1,
        leaseMs: 60_000,
        startedAt: h.scheduler.clock.now(),
      },
      h.scheduler.clock.now(),
    );
    const res = await h.call("/api/v1/executions/x2");
    const body = (await res.json()) as { status: string; pending_reason: unknown };
    expect(body.status).toBe("pending");
    expect(body.pending_reason).toEqual({
      kind: "concurrency-limit",
      message: "concurrency limit t7: 1/1",
      concurrency_key: "queue:exports\nt7",
      key: "t7",
      running: 1,
      limit: 1,
    });
  });
});
