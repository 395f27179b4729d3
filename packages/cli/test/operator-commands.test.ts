import { join } from "node:path";
import { SqliteScheduler } from "@zart/store-sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oneLine, tempDir, zart } from "./helpers.js";

// Operator actions talk to the store directly: a SQLite file, no server, no worker.
const { dir, cleanup } = tempDir();
const db = `sqlite:${join(dir, "zart.db")}`;
const run = (...args: string[]) => zart([...args, "--db", db], { cwd: dir });

beforeAll(async () => {
  expect((await run("migrate")).code).toBe(0);
});
afterAll(cleanup);

describe("zart retry", () => {
  it("makes a cancelled execution pending again; a live or unknown one exits 1", async () => {
    expect((await run("start", "anything", "--id", "r-1", "--no-check")).code).toBe(0);
    const live = await run("retry", "r-1");
    expect(live.code).toBe(1);
    expect(oneLine(live.stderr)).toMatch(/\[EXECUTION_NOT_RETRYABLE\]/);

    expect((await run("cancel", "r-1")).code).toBe(0);
    const retried = await run("retry", "r-1", "--json");
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout)).toMatchObject({ execution_id: "r-1", status: "pending" });

    const unknown = await run("retry", "nobody");
    expect(unknown.code).toBe(1);
  });
});

describe("zart rerun", () => {
  it("starts a new execution holding the steps before --from-step; an unknown step exits 1", async () => {
    // A failed execution with two completed steps, written through the store (no worker here).
    const store = new SqliteScheduler({ path: join(dir, "zart.db") });
    const now = new Date();
    await store.createExecution({ executionId: "f-1", taskName: "billing", payload: "1", runAt: now }, now);
    const [work] = await store.claim({
      workerId: "w",
      taskNames: ["billing"],
      limit: 1,
      leaseMs: 60_000,
      now,
    });
    for (const [position, name] of ["fetch", "charge"].entries()) {
      await store.saveStep(
        work!.lease,
        { position, name, kind: "step", status: "completed", result: "1", attempts: 1 },
        {},
        now,
      );
    }
    await store.failExecution(work!.lease, { error: { name: "Error", message: "boom" } }, {}, now);
    await store.close();

    const unknown = await run("rerun", "f-1", "--from-step", "ship", "--new-id", "f-2");
    expect(unknown.code).toBe(1);
    expect(oneLine(unknown.stderr)).toMatch(/\[STEP_NOT_FOUND\]/);
    const rerun = await run(
      "rerun",
      "f-1",
      "--from-step",
      "charge",
      "--new-id",
      "f-2",
      "--data",
      "2",
      "--json",
    );
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({
      execution_id: "f-2",
      status: "pending",
      payload: 2,
      rerun_of: { execution_id: "f-1", from_step: "charge" },
      steps: [{ name: "fetch", status: "completed" }],
    });
    const taken = await run("rerun", "f-1", "--from-step", "charge", "--new-id", "f-2");
    expect(taken.code).toBe(1);
    expect(oneLine(taken.stderr)).toMatch(/\[EXECUTION_ALREADY_EXISTS\]/);
  });
});

describe("zart pause / resume", () => {
  it("pauses a pending execution and resumes it; resuming what is not paused exits 1", async () => {
    expect((await run("start", "anything", "--id", "p-1", "--no-check")).code).toBe(0);
    const notPaused = await run("resume", "p-1");
    expect(notPaused.code).toBe(1);
    expect(oneLine(notPaused.stderr)).toMatch(/\[EXECUTION_NOT_PAUSED\]/);
    const paused = await run("pause", "p-1", "--json");
    expect(paused.code).toBe(0);
    expect(JSON.parse(paused.stdout)).toMatchObject({ execution_id: "p-1", status: "paused" });
    const resumed = await run("resume", "p-1", "--json");
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ execution_id: "p-1", status: "pending" });
  });
});
