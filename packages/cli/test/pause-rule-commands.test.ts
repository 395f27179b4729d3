import { join } from "node:path";
import { SqliteScheduler } from "@zart/store-sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oneLine, tempDir, zart } from "./helpers.js";

// Pause rules are rows in the store: a SQLite file, no server, no worker. The tests run in order.
const { dir, cleanup } = tempDir();
const db = `sqlite:${join(dir, "zart.db")}`;
const run = (...args: string[]) => zart([...args, "--db", db], { cwd: dir });
type Rule = {
  rule_id: string;
  task_name: string;
  step_name?: string;
  created_at: string;
  expires_at?: string;
};

/** The rules in force, read from the file directly. */
async function stored(): Promise<string[]> {
  const store = new SqliteScheduler({ path: join(dir, "zart.db") });
  try {
    return (await store.listPauseRules(new Date())).map((r) => `${r.taskName}/${r.stepName ?? "*"}`).sort();
  } finally {
    await store.close();
  }
}

let stepRule: Rule;

beforeAll(async () => {
  expect((await run("migrate")).code).toBe(0);
});
afterAll(cleanup);

describe("zart pause --task, zart pause-rules", () => {
  it("pause --task --step --for creates a rule that expires after that long", async () => {
    const created = await run("pause", "--task", "billing", "--step", "charge", "--for", "1h", "--json");
    expect(created.code).toBe(0);
    stepRule = JSON.parse(created.stdout) as Rule;
    expect(stepRule).toMatchObject({ task_name: "billing", step_name: "charge" });
    expect(Date.parse(stepRule.expires_at!) - Date.parse(stepRule.created_at)).toBe(3_600_000);
    const plain = await run("pause", "--task", "reports");
    expect(plain.code).toBe(0);
    expect(oneLine(plain.stdout)).toMatch(
      /^Paused every execution of reports: rule \S+ \(zart pause-rules delete/,
    );
    expect(await stored()).toEqual(["billing/charge", "reports/*"]);
  });

  it("pause-rules list prints the rules (JSON or a table)", async () => {
    const listed = await run("pause-rules", "list", "--json");
    expect(listed.code).toBe(0);
    const { pause_rules } = JSON.parse(listed.stdout) as { pause_rules: Rule[] };
    expect(pause_rules).toContainEqual(stepRule);
    expect(pause_rules).toHaveLength(2);
    const table = await run("pause-rules", "list");
    expect(table.stdout).toContain("(every execution)");
  });

  it("pause-rules delete removes a rule; an unknown rule exits 1 with PAUSE_RULE_NOT_FOUND", async () => {
    expect((await run("pause-rules", "delete", stepRule.rule_id)).code).toBe(0);
    const again = await run("pause-rules", "delete", stepRule.rule_id);
    expect(again.code).toBe(1);
    expect(oneLine(again.stderr)).toMatch(/\[PAUSE_RULE_NOT_FOUND\]/);
    expect(await stored()).toEqual(["reports/*"]);
  });

  it("refuses bad input (exit 1 for a zero duration, 2 for bad usage) and stores nothing", async () => {
    const zero = await run("pause", "--task", "billing", "--for", "0s");
    expect(zero.code).toBe(1);
    expect(oneLine(zero.stderr)).toMatch(/\[VALIDATION\]/);
    expect((await run("pause", "--step", "charge")).code).toBe(2);
    expect((await run("pause", "some-id", "--task", "billing")).code).toBe(2);
    expect(await stored()).toEqual(["reports/*"]);
  });
});
