import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("GET /api/v1/workers", () => {
  it("lists the running worker, registered by its start", async () => {
    const res = await h.call("/api/v1/workers");
    expect(res.status).toBe(200);
    const { workers } = (await res.json()) as { workers: Record<string, unknown>[] };
    expect(workers).toEqual([
      expect.objectContaining({
        worker_id: h.worker.workerId,
        host: hostname(),
        pid: process.pid,
        concurrency: 10,
        lease_ms: 30_000,
        state: "alive",
        tasks: expect.arrayContaining(["quick", "waiter"]),
      }),
    ]);
  });

  it("shows the lease owner of a running execution on GET /api/v1/executions/{id}", async () => {
    const now = h.scheduler.clock.now();
    // A task no worker runs, claimed by hand under the running worker's id: it stays running.
    await h.scheduler.createExecution(
      { executionId: "held", taskName: "nobody", payload: "1", runAt: now },
      now,
    );
    await h.scheduler.claim({
      workerId: h.worker.workerId,
      taskNames: ["nobody"],
      limit: 1,
      leaseMs: 60_000,
      now,
    });
    const res = await h.call("/api/v1/executions/held");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; lease: Record<string, unknown> };
    expect(body.status).toBe("running");
    expect(body.lease).toMatchObject({
      worker_id: h.worker.workerId,
      host: hostname(),
      pid: process.pid,
      worker_gone: false,
      expires_at: new Date(now.getTime() + 60_000).toISOString(),
      expired: false,
      running_steps: [],
    });
  });

  it("requires the token", async () => {
    const res = await h.call("/api/v1/workers", { auth: false });
    expect(res.status).toBe(401);
  });
});
