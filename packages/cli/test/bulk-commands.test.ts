import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oneLine, tempDir, zart } from "./helpers.js";

// `zart bulk` and `zart list --cursor` against a SQLite file, no server, no worker.
const { dir, cleanup } = tempDir();
const db = `sqlite:${join(dir, "zart.db")}`;
const run = (...args: string[]) => zart([...args, "--db", db], { cwd: dir });
type List = { executions: { execution_id: string; status: string }[]; next_cursor?: string };

beforeAll(async () => {
  expect((await run("migrate")).code).toBe(0);
  for (let i = 0; i < 5; i++) {
    expect((await run("start", i < 3 ? "alpha" : "beta", "--id", `b-${i}`, "--no-check")).code).toBe(0);
  }
});
afterAll(cleanup);

describe("zart list --cursor", () => {
  it("pages with next_cursor until the last page", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await run("list", "--limit", "2", "--json", ...(cursor ? ["--cursor", cursor] : []));
      expect(res.code).toBe(0);
      const page = JSON.parse(res.stdout) as List;
      seen.push(...page.executions.map((e) => e.execution_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.sort()).toEqual(["b-0", "b-1", "b-2", "b-3", "b-4"]);
    const human = await run("list", "--limit", "2");
    expect(human.stdout).toMatch(/More: add --cursor \S+/);
  });

  it("rejects a malformed cursor (exit 1, VALIDATION)", async () => {
    const res = await run("list", "--cursor", "garbage");
    expect(res.code).toBe(1);
    expect(oneLine(res.stderr)).toMatch(/cursor.*\[VALIDATION\]/);
  });
});

describe("zart bulk", () => {
  it("--dry-run counts and changes nothing; then pauses and cancels by task", async () => {
    const dry = await run("bulk", "pause", "--task", "alpha", "--dry-run", "--json");
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual({
      matched: 3,
      changed: 3,
      skipped: 0,
      skipped_reasons: {},
      dry_run: true,
    });
    const pending = JSON.parse((await run("list", "--status", "pending", "--json")).stdout) as List;
    expect(pending.executions).toHaveLength(5);

    const paused = await run("bulk", "pause", "--task", "alpha");
    expect(paused.code).toBe(0);
    expect(paused.stdout).toContain("3 matched; pause changed 3.");
    const cancel = await run("bulk", "resume", "--status", "pending");
    expect(cancel.stdout).toMatch(/2 matched; resume changed 0\.\n\s+skipped 2: EXECUTION_NOT_PAUSED/);
    const all = await run("bulk", "cancel", "--created-after", "2000-01-01T00:00:00Z", "--json");
    expect(JSON.parse(all.stdout)).toMatchObject({ matched: 5, changed: 5 });
  });

  it("refuses no filter (exit 1) and an unknown action (usage error, exit 2)", async () => {
    const none = await run("bulk", "cancel");
    expect(none.code).toBe(1);
    expect(oneLine(none.stderr)).toMatch(/needs a filter.*\[VALIDATION\]/);
    const unknown = await run("bulk", "explode", "--status", "failed");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/cancel, retry, pause, resume/);
  });
});
