import { join } from "node:path";
import { SqliteScheduler } from "@zart/store-sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, tempDir, zart } from "./helpers.js";

// `zart queues`, `zart list --queue` and the status's "Why waiting", through the binary on SQLite.
const { dir, cleanup } = tempDir();
const db = `sqlite:${join(dir, "zart.db")}`;
const tasks = join(FIXTURES, "queue-tasks.ts");
const run = (...args: string[]) => zart([...args, "--db", db], { cwd: dir });
const json = <T>(text: string) => JSON.parse(text) as T;

beforeAll(async () => {
  expect((await run("migrate")).code).toBe(0);
  for (const [id, tenant] of [
    ["x1", "t7"],
    ["x2", "t7"],
    ["x3", "t8"],
  ] as const) {
    const res = await run(
      "start",
      "export",
      "--id",
      id,
      "--data",
      JSON.stringify({ tenant }),
      "--tasks",
      tasks,
    );
    expect(res.code, res.stderr).toBe(0);
  }
  expect((await run("start", "other", "--id", "o1", "--no-check")).code).toBe(0);
  // A worker elsewhere holds t7's one slot.
  const store = new SqliteScheduler({ path: join(dir, "zart.db") });
  const now = new Date();
  await store.heartbeatWorker(
    {
      workerId: "w1",
      host: "h",
      pid: 1,
      taskNames: ["export"],
      concurrency: 4,
      leaseMs: 600_000,
      startedAt: now,
    },
    now,
  );
  const claimed = await store.claim({
    workerId: "w1",
    taskNames: ["export"],
    limit: 5,
    leaseMs: 600_000,
    now,
    concurrencyLimits: { export: 1 },
  });
  expect(claimed.map((unit) => unit.lease.executionId).sort()).toEqual(["x1", "x3"]);
  await store.close();
});
afterAll(cleanup);

describe("zart queues", () => {
  it("--json lists each key's running, due and delayed executions, with limits from --tasks", async () => {
    const res = await run("queues", "--json", "--tasks", tasks);
    expect(res.code, res.stderr).toBe(0);
    expect(json<{ queues: unknown[] }>(res.stdout).queues).toEqual([
      { queue: "exports", key: "t7", limit: 1, running: 1, due: 1, delayed: 0 },
      { queue: "exports", key: "t8", limit: 1, running: 1, due: 0, delayed: 0 },
      { task: "other", running: 0, due: 1, delayed: 0 },
    ]);
  });

  it("prints a table; without --tasks the limit is unknown", async () => {
    const res = await run("queues");
    expect(res.code, res.stderr).toBe(0);
    // The cells of each table row (box-drawn), blank ones included.
    const rows = res.stdout
      .split("\n")
      .filter((line) => line.includes("│"))
      .map((line) =>
        line
          .split("│")
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    expect(rows).toEqual([
      ["Queue / task", "Key", "Limit", "Running", "Due", "Delayed"],
      ["queue exports", "t7", "-", "1", "1", "0"],
      ["queue exports", "t8", "-", "1", "0", "0"],
      ["task other", "", "-", "0", "1", "0"],
    ]);
  });
});

describe("zart list --queue / zart status", () => {
  it("lists the queue's executions only", async () => {
    const res = await run("list", "--queue", "exports", "--json");
    expect(res.code, res.stderr).toBe(0);
    const { executions } = json<{ executions: { execution_id: string }[] }>(res.stdout);
    expect(executions.map((e) => e.execution_id).sort()).toEqual(["x1", "x2", "x3"]);
  });

  it("status says why a pending execution waits", async () => {
    const res = await run("status", "x2", "--json", "--tasks", tasks);
    expect(res.code, res.stderr).toBe(0);
    expect(json<{ pending_reason: unknown }>(res.stdout).pending_reason).toMatchObject({
      kind: "concurrency-limit",
      message: "concurrency limit t7: 1/1",
    });
    const text = await run("status", "o1");
    expect(text.stdout).toMatch(/Why waiting\s+no live worker runs task "other"/);
  });
});
