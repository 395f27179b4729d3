import { join } from "node:path";
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
