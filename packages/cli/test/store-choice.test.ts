import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { oneLine, tempDir, zart } from "./helpers.js";

// Which store a command uses: --db, ZART_DATABASE_URL, the sqlite:./zart.db default, memory:.
const { dir, cleanup } = tempDir();
const db = `sqlite:${join(dir, "zart.db")}`;
afterAll(cleanup);

describe("choosing the store", () => {
  it("ZART_DATABASE_URL is used when --db is absent", async () => {
    expect((await zart(["start", "t", "--id", "env-1", "--db", db], { cwd: dir })).code).toBe(0);
    const res = await zart(["list", "--json"], { cwd: dir, env: { ZART_DATABASE_URL: db } });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).executions.map((e: { execution_id: string }) => e.execution_id)).toEqual([
      "env-1",
    ]);
  });

  it("sqlite:./zart.db is the default; reads never create it, writes do", async () => {
    const { dir: empty, cleanup: done } = tempDir();
    try {
      const missing = await zart(["status", "x"], { cwd: empty });
      expect(missing.code).toBe(1);
      expect(oneLine(missing.stderr)).toMatch(/No database at \.\/zart\.db/);
      expect(existsSync(join(empty, "zart.db"))).toBe(false);
      const started = await zart(["start", "hello-task", "--id", "h", "--no-check"], { cwd: empty });
      expect(started.code).toBe(0);
      expect(existsSync(join(empty, "zart.db"))).toBe(true);
    } finally {
      done();
    }
  });

  it("memory: works (and is empty in every process); an unusable file is one line, exit 1", async () => {
    const res = await zart(["list", "--db", "memory:", "--json"], { cwd: dir });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ executions: [], limit: 20, offset: 0 });
    const broken = await zart(
      ["start", "t", "--no-check", "--db", `sqlite:${join(dir, "no-such-dir", "x.db")}`],
      {
        cwd: dir,
      },
    );
    expect(broken.code).toBe(1);
    oneLine(broken.stderr);
  });
});
