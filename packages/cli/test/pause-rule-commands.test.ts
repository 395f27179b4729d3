import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oneLine, tempDir, zart } from "./helpers.js";

// Pause rules are rows in the store: a SQLite file, no server, no worker.
const { dir, cleanup } = tempDir();
const db = `sqlite:${join(dir, "zart.db")}`;
const run = (...args: string[]) => zart([...args, "--db", db], { cwd: dir });
type Rule = { rule_id: string; task_name: string; step_name?: string; created_at: string; expires_at?: string };

beforeAll(async () => {
  expect((await run("migrate")).code).toBe(0);
});
afterAll(cleanup);

describe("zart pause --task, zart pause-rules", () => {
  it("creates rules, lists them and deletes one; an unknown rule exits 1", async () => {
    const created = await run("pause", "--task", "billing", "--step", "charge", "--for", "1h", "--json");
    expect(created.code).toBe(0);
    const rule = JSON.parse(created.stdout) as Rule;
    expect(rule).toMatchObject({ task_name: "billing", step_name: "charge" });
    expect(Date.parse(rule.expires_at!) - Date.parse(rule.created_at)).toBe(3_600_000);

    const plain = await run("pause", "--task", "reports");
    expect(plain.code).toBe(0);
    expect(oneLine(plain.stdout)).toMatch(/^Paused every execution of reports: rule \S+ \(zart pause-rules delete/);

    const listed = await run("pause-rules", "list", "--json");
    expect(listed.code).toBe(0);
    const { pause_rules } = JSON.parse(listed.stdout) as { pause_rules: Rule[] };
    expect(pause_rules.map((r) => [r.task_name, r.step_name ?? null]).sort()).toEqual([
      ["billing", "charge"],
      ["reports", null],
    ]);
    const table = await run("pause-rules", "list");
    expect(table.stdout).toContain("(every execution)");

    expect((await run("pause-rules", "delete", rule.rule_id)).code).toBe(0);
    const again = await run("pause-rules", "delete", rule.rule_id);
    expect(again.code).toBe(1);
    expect(oneLine(again.stderr)).toMatch(/\[PAUSE_RULE_NOT_FOUND\]/);
    const left = JSON.parse((await run("pause-rules", "list", "--json")).stdout) as { pause_rules: Rule[] };
    expect(left.pause_rules.map((r) => r.task_name)).toEqual(["reports"]);
  });

  it("refuses bad input and stores nothing", async () => {
    const before = (await run("pause-rules", "list", "--json")).stdout;
    const zero = await run("pause", "--task", "billing", "--for", "0s");
    expect(zero.code).toBe(1);
    expect(oneLine(zero.stderr)).toMatch(/\[VALIDATION\]/);
    expect((await run("pause", "--task", "billing", "--for", "soon")).code).toBe(2);
    expect((await run("pause", "--step", "charge")).code).toBe(2);
    expect((await run("pause", "some-id", "--task", "billing")).code).toBe(2);
    expect((await run("pause-rules", "list", "--json")).stdout).toBe(before);
  });
});
