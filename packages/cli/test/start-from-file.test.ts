import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oneLine, tempDir, zart } from "./helpers.js";

// `zart start --from-file` against a SQLite file: no server, no worker.
const { dir, cleanup } = tempDir();
const db = `sqlite:${join(dir, "zart.db")}`;
const run = (...args: string[]) => zart([...args, "--db", db], { cwd: dir });
const tasks = ["--tasks", `${import.meta.dirname}/fixtures/tasks.ts`];
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
type Results = { results: { execution_id: string; outcome: string; error?: { code: string } }[] };

beforeAll(async () => {
  expect((await run("migrate")).code).toBe(0);
});
afterAll(cleanup);

describe("zart start --from-file", () => {
  it("starts every line of a JSON Lines file; the argument is the default task", async () => {
    const items = file(
      "items.jsonl",
      [
        '{"execution_id":"f-1","data":{"text":"a"}}',
        "",
        '{"execution_id":"f-2","data":{"text":"b"},"run_at":"2030-01-31T09:00:00Z"}',
        '{"task_name":"other","execution_id":"f-3"}',
      ].join("\n"),
    );
    const res = await run("start", "shout", "--from-file", items, "--no-check");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Started 3 of 3 from .*items\.jsonl \(0 already running, 0 invalid\)/);
    const status = JSON.parse((await run("status", "f-2", "--json")).stdout);
    expect(status).toMatchObject({ name: "shout", status: "pending", payload: { text: "b" } });
    expect(status.scheduled_at).toBe("2030-01-31T09:00:00.000Z");
    expect(JSON.parse((await run("status", "f-3", "--json")).stdout)).toMatchObject({ name: "other" });
  });

  it("answers per item in --json: exists for a running id, invalid (exit 1) for one --tasks refuses", async () => {
    const items = file(
      "items.json",
      JSON.stringify([
        { task_name: "shout", execution_id: "f-1", data: { text: "again" } },
        { task_name: "shout", execution_id: "g-bad", data: { text: 1 } },
        { task_name: "nope", execution_id: "g-unknown" },
        { task_name: "shout", execution_id: "g-ok", data: { text: "ok" } },
      ]),
    );
    const res = await run("start", "--from-file", items, "--json", ...tasks);
    expect(res.code).toBe(1);
    const body = JSON.parse(res.stdout) as Results;
    expect(body.results.map((r) => [r.execution_id, r.outcome, r.error?.code])).toEqual([
      ["f-1", "exists", undefined],
      ["g-bad", "invalid", "VALIDATION"],
      ["g-unknown", "invalid", "TASK_NOT_REGISTERED"],
      ["g-ok", "created", undefined],
    ]);
    expect(oneLine(res.stderr)).toMatch(/2 item\(s\) were invalid and not started/);
    expect((await run("status", "g-bad")).code).toBe(1);
    expect((await run("status", "g-ok")).code).toBe(0);
  });

  it("refuses a malformed file before starting anything (exit 2)", async () => {
    const items = file("bad.jsonl", '{"task_name":"shout","execution_id":"h-1"}\nnot json\n');
    const res = await run("start", "--from-file", items, "--no-check");
    expect(res.code).toBe(2);
    expect(oneLine(res.stderr)).toMatch(/bad\.jsonl:2: not JSON/);
    expect((await run("status", "h-1")).code).toBe(1);
    const noTask = await run(
      "start",
      "--from-file",
      file("no-task.jsonl", '{"execution_id":"h-2"}'),
      "--no-check",
    );
    expect(noTask.code).toBe(2);
    expect(oneLine(noTask.stderr)).toMatch(/no-task\.jsonl:1: task_name must be a string/);
    expect((await run("start", "shout", "--from-file", items, "--id", "x")).code).toBe(2);
  });
});
