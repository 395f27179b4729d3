import { hostname } from "node:os";
import { join } from "node:path";
import { SqliteScheduler } from "@zart/store-sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oneLine, tempDir, zart } from "./helpers.js";

// Client commands talk to the store directly: a SQLite file, no server, no worker.
const { dir, cleanup } = tempDir();
const db = `sqlite:${join(dir, "zart.db")}`;
const run = (...args: string[]) => zart([...args, "--db", db], { cwd: dir });
const json = <T = Record<string, unknown>>(text: string) => JSON.parse(text) as T;
const ESC = "\x1b[";
type List = { executions: { execution_id: string }[]; limit: number; offset: number };

beforeAll(async () => {
  const res = await run("migrate");
  expect(res.code).toBe(0);
  // A new file: every shipped migration is applied and named.
  expect(res.stdout).toMatch(
    /Applied to sqlite:.*: 0000_init, .*0013_rate_limits\. The schema is up to date\./,
  );
  const again = await run("migrate", "--json");
  expect(json(again.stdout)).toMatchObject({ migrated: true, applied: [] });
});
afterAll(cleanup);

describe("client commands over a SQLite file", () => {
  it("start prints the id; --json prints the status in snake_case; --delay schedules later", async () => {
    const res = await run(
      "start",
      "approval-task",
      "--id",
      "c-1",
      "--data",
      '{"requesterName":"Bob","resource":"db"}',
    );
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("c-1");
    expect(oneLine(res.stderr)).toMatch(
      /^warning: without --tasks, neither the task name "approval-task" nor --data is checked/,
    );
    const again = await run("start", "anything", "--id", "c-2", "--data", "[1,2]", "--json", "--no-check");
    expect(again.code).toBe(0);
    expect(again.stderr).toBe("");
    expect(json(again.stdout)).toMatchObject({
      execution_id: "c-2",
      name: "anything",
      status: "pending",
      payload: [1, 2],
    });
    const later = await run("start", "later-task", "--delay", "1h", "--json");
    const body = json<{ execution_id: string; scheduled_at: string; created_at: string }>(later.stdout);
    expect(body.execution_id).toMatch(/^later-task-[0-9a-f]{8}$/);
    expect(Date.parse(body.scheduled_at) - Date.parse(body.created_at)).toBeGreaterThan(3_500_000);
  });

  it("start --debounce-key collapses starts into the first one, with the last data", async () => {
    const debounced = (id: string, data: string) =>
      run(
        "start",
        "digest",
        "--id",
        id,
        "--data",
        data,
        "--debounce-key",
        "u1",
        "--debounce-period",
        "1h",
        "--no-check",
      );
    const first = await debounced("deb-1", '{"n":1}');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Started");
    const second = await debounced("deb-2", '{"n":2}');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^Debounced into .*deb-1/);
    const status = await run("status", "deb-1", "--json");
    expect(json(status.stdout)).toMatchObject({
      execution_id: "deb-1",
      status: "pending",
      payload: { n: 2 },
    });
    const bad = await run("start", "digest", "--id", "deb-3", "--debounce-key", "u1", "--no-check");
    expect(bad.code).not.toBe(0);
    expect(oneLine(bad.stderr)).toMatch(/--debounce-period/);
    const badKey = await run(
      "start",
      "digest",
      "--id",
      "deb-3",
      "--debounce-key",
      "",
      "--debounce-period",
      "1s",
      "--no-check",
    );
    expect(badKey.code).toBe(1);
    expect(oneLine(badKey.stderr)).toMatch(/\[VALIDATION\]/);
    expect((await run("status", "deb-3")).code).not.toBe(0);
  });

  it("start of an id that is not finished fails with EXECUTION_ALREADY_EXISTS (exit 1)", async () => {
    const res = await run("start", "anything", "--id", "c-1", "--no-check");
    expect(res.code).toBe(1);
    expect(oneLine(res.stderr)).toMatch(/already exists.*\[EXECUTION_ALREADY_EXISTS\]/);
  });

  it("start --tasks rejects unknown names and invalid input before anything is persisted", async () => {
    const tasks = ["--tasks", `${import.meta.dirname}/fixtures/tasks.ts`];
    const unknown = await run("start", "nope", "--id", "v-1", ...tasks);
    expect(unknown.code).toBe(1);
    expect(oneLine(unknown.stderr)).toMatch(/\[TASK_NOT_REGISTERED\]/);
    const invalid = await run("start", "shout", "--id", "v-2", "--data", '{"text":5}', ...tasks);
    expect(invalid.code).toBe(1);
    expect(oneLine(invalid.stderr)).toMatch(/\[VALIDATION\]/);
  });

  it("event delivers into the mailbox with the seeds' JSON shape; a repeated key is a duplicate", async () => {
    const args = ["event", "c-1", "manager-approval", "--data", '{"approved":true,"reviewer":"jane"}'];
    const res = await run(...args, "--json", "--idempotency-key", "k-1");
    expect(res.code).toBe(0);
    expect(json(res.stdout)).toEqual({
      status: "delivered",
      execution_id: "c-1",
      event_name: "manager-approval",
    });
    const dup = await run(...args, "--idempotency-key", "k-1");
    expect(dup.code).toBe(0);
    expect(dup.stdout).toMatch(/Duplicate/);
  });

  it("event --start-if-missing starts an unknown execution with the event in its mailbox", async () => {
    const tasks = ["--tasks", `${import.meta.dirname}/fixtures/tasks.ts`];
    const res = await run(
      "event",
      "sws-1",
      "go",
      "--data",
      "1",
      "--start-if-missing",
      "shout",
      "--start-data",
      '{"text":"hi"}',
      ...tasks,
    );
    expect(res.code).toBe(0);
    const body = json<{ name: string; payload: unknown; events: { event_name: string }[] }>(
      (await run("status", "sws-1", "--json")).stdout,
    );
    expect(body).toMatchObject({ name: "shout", payload: { text: "hi" } });
    expect(body.events).toEqual([expect.objectContaining({ event_name: "go" })]);
    const invalid = await run(
      "event",
      "sws-2",
      "go",
      "--start-if-missing",
      "shout",
      "--start-data",
      '{"text":5}',
      ...tasks,
    );
    expect(invalid.code).toBe(1);
    expect(oneLine(invalid.stderr)).toMatch(/\[VALIDATION\]/);
    const usage = await run("event", "sws-2", "go", "--start-data", "1");
    expect(usage.code).toBe(2);
    expect((await run("status", "sws-2")).code).toBe(1);
  });

  it("status shows a table (no colour off a TTY), or JSON with the mailbox", async () => {
    const human = await run("status", "c-1");
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Execution\s+c-1/);
    expect(human.stdout).toMatch(/Task\s+approval-task/);
    expect(human.stdout).toContain("manager-approval");
    expect(human.stdout).toContain("waiting in mailbox");
    expect(human.stdout).not.toContain(ESC);
    const res = await run("status", "c-1", "--json");
    const body = json<{ events: { event_name: string; idempotency_key?: string; consumed_at?: string }[] }>(
      res.stdout,
    );
    expect(body.events).toEqual([
      expect.objectContaining({ event_name: "manager-approval", idempotency_key: "k-1" }),
    ]);
  });

  it("workers lists the registered workers (a silent one is gone); status shows a running execution's lease", async () => {
    const store = new SqliteScheduler({ path: join(dir, "zart.db") });
    const now = new Date();
    const row = {
      host: hostname(),
      pid: 77,
      taskNames: ["lease-task"],
      concurrency: 4,
      leaseMs: 30_000,
      startedAt: now,
    };
    await store.heartbeatWorker({ ...row, workerId: "w-live" }, now);
    await store.heartbeatWorker({ ...row, workerId: "w-old" }, new Date(now.getTime() - 3_600_000));
    await store.createExecution(
      { executionId: "leased", taskName: "lease-task", payload: "1", runAt: now },
      now,
    );
    await store.claim({ workerId: "w-live", taskNames: ["lease-task"], limit: 1, leaseMs: 600_000, now });
    await store.close();

    const res = await run("workers", "--json");
    expect(res.code).toBe(0);
    const { workers } = json<{ workers: { worker_id: string; state: string; pid: number }[] }>(res.stdout);
    expect(workers.map((w) => [w.worker_id, w.state, w.pid])).toEqual([
      ["w-live", "alive", 77],
      ["w-old", "gone", 77],
    ]);
    const table = await run("workers");
    expect(table.stdout).toMatch(/w-live.*lease-task.*alive/);
    expect(table.stdout).toMatch(/w-old.*gone/);
    const status = await run("status", "leased");
    expect(status.stdout).toMatch(new RegExp(`Lease\\s+held by w-live \\(${hostname()}, pid 77\\) until`));
  });

  it("runs lists the runs of an id; status --run reads one, an unknown run exits 1", async () => {
    const res = await run("runs", "c-1", "--json");
    expect(res.code).toBe(0);
    expect(json<{ runs: { run: number; task: string }[] }>(res.stdout).runs).toEqual([
      expect.objectContaining({ run: 1, task: "approval-task" }),
    ]);
    expect((await run("runs", "c-1")).stdout).toMatch(/run 1\s+\w+\s+approval-task/);
    const first = await run("status", "c-1", "--run", "1", "--json");
    expect(json<{ run: number }>(first.stdout).run).toBe(1);
    const missing = await run("status", "c-1", "--run", "2");
    expect(missing.code).toBe(1);
    expect(oneLine(missing.stderr)).toMatch(/\[RUN_NOT_FOUND\]/);
  });

  it("status of an unknown id exits 1 with one line", async () => {
    const res = await run("status", "nobody");
    expect(res.code).toBe(1);
    expect(oneLine(res.stderr)).toMatch(/No execution with id "nobody".*\[EXECUTION_NOT_FOUND\]/);
  });

  it("list filters and prints a table or JSON", async () => {
    const filtered = await run("list", "--task", "approval-task", "--status", "pending", "--json");
    expect(json<List>(filtered.stdout).executions.map((e) => e.execution_id)).toEqual(["c-1"]);
    const table = await run("list", "--limit", "50");
    expect(table.stdout).toMatch(/Execution.*Task.*Status/);
    for (const id of ["c-1", "c-2"]) expect(table.stdout).toContain(id);
    expect(table.stdout).not.toContain("v-2"); // the rejected start persisted nothing
    const children = await run("list", "--parent", "c-1", "--json");
    expect(json<List>(children.stdout).executions).toEqual([]);
    const badParent = await run("list", "--parent", "", "--json");
    expect(badParent.code).toBe(1);
  });

  it("list --version filters by task version; status and list show it", async () => {
    const tasks = ["--tasks", `${import.meta.dirname}/fixtures/versioned-tasks.ts`];
    const started = await run("start", "stamp", "--id", "ver-1", ...tasks, "--json");
    expect(json(started.stdout)).toMatchObject({ execution_id: "ver-1", version: "2026-12-01" });
    const listed = await run("list", "--version", "2026-12-01", "--json");
    expect(json<List>(listed.stdout).executions.map((e) => e.execution_id)).toEqual(["ver-1"]);
    const older = await run("list", "--version", "2026-01-01", "--json");
    expect(json<List>(older.stdout).executions).toEqual([]);
    expect((await run("status", "ver-1")).stdout).toMatch(/Version\s+2026-12-01/);
    expect((await run("list", "--version", "2026-12-01")).stdout).toContain("stamp@2026-12-01");
    expect((await run("list", "--version", "", "--json")).code).toBe(1);
  });

  it("wait gives up after --timeout with exit 1, printing the status (no progress off a TTY)", async () => {
    const res = await run("wait", "c-2", "--timeout", "300ms", "--json");
    expect(res.code).toBe(1);
    expect(json(res.stdout)).toMatchObject({ execution_id: "c-2", status: "pending" });
    expect(oneLine(res.stderr)).toMatch(/still pending after the --timeout/);
  });

  it("cancel; a cancelled execution refuses events; wait on it exits 1", async () => {
    const first = await run("cancel", "c-2", "--json");
    expect(first.code).toBe(0);
    expect(json(first.stdout)).toEqual({ cancelled: true });
    const event = await run("event", "c-2", "go");
    expect(event.code).toBe(1);
    expect(oneLine(event.stderr)).toMatch(/\[EXECUTION_TERMINAL\]/);
    const wait = await run("wait", "c-2", "--timeout", "5s");
    expect(wait.code).toBe(1);
    expect(wait.stdout).toMatch(/Status\s+cancelled/);
    expect(oneLine(wait.stderr)).toBe("error: c-2 was cancelled.");
  });

  it("purge deletes finished executions older than the duration; only terminal statuses", async () => {
    const bad = await run("purge", "--older-than", "0s", "--status", "pending");
    expect(bad.code).toBe(1);
    expect(oneLine(bad.stderr)).toMatch(/\[VALIDATION\]/);
    const res = await run("purge", "--older-than", "0s", "--status", "cancelled", "--json");
    expect(res.code).toBe(0);
    expect(json(res.stdout)).toEqual({ purged: 1 });
  });

  it("colour when forced, and NO_COLOR always wins", async () => {
    const forced = await zart(["status", "c-1", "--db", db], { cwd: dir, env: { FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain(ESC);
    const off = await zart(["status", "c-1", "--db", db], {
      cwd: dir,
      env: { FORCE_COLOR: "1", NO_COLOR: "1" },
    });
    expect(off.stdout).not.toContain(ESC);
  });
});
