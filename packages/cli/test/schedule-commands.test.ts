import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oneLine, tempDir, zart } from "./helpers.js";

// Schedules are rows of the store: a SQLite file, no server, no worker.
const { dir, cleanup } = tempDir();
const db = `sqlite:${join(dir, "zart.db")}`;
const run = (...args: string[]) => zart([...args, "--db", db], { cwd: dir });

beforeAll(async () => {
  expect((await run("migrate")).code).toBe(0);
});
afterAll(cleanup);

describe("zart schedule", () => {
  it("creates, lists, gets, pauses, resumes, triggers and deletes", async () => {
    const created = await run(
      "schedule",
      "create",
      "nightly",
      "--task",
      "report",
      "--cron",
      "0 2 * * *",
      "--timezone",
      "Europe/Paris",
      "--data",
      '{"day":1}',
      "--overlap",
      "allow",
      "--json",
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      schedule_id: "nightly",
      task_name: "report",
      timezone: "Europe/Paris",
      overlap: "allow",
      data: { day: 1 },
    });
    const list = await run("schedule", "list");
    expect(list.stdout).toContain("nightly");
    expect((await run("schedule", "pause", "nightly")).stdout).toContain("paused");
    expect(JSON.parse((await run("schedule", "resume", "nightly", "--json")).stdout).paused).toBe(false);
    const trigger = await run("schedule", "trigger", "nightly", "--json");
    const { execution_id } = JSON.parse(trigger.stdout) as { execution_id: string };
    expect(JSON.parse((await run("status", execution_id, "--json")).stdout).status).toBe("pending");
    expect(JSON.parse((await run("schedule", "get", "nightly", "--json")).stdout).last_execution).toEqual({
      execution_id,
      status: "pending",
    });
    expect((await run("schedule", "delete", "nightly")).code).toBe(0);
    const gone = await run("schedule", "get", "nightly");
    expect(gone.code).toBe(1);
    expect(oneLine(gone.stderr)).toMatch(/SCHEDULE_NOT_FOUND/);
  });

  it("exits 1 on a bad cron, an unknown zone or an id in use; 2 on a bad policy", async () => {
    const badCron = await run("schedule", "create", "x", "--task", "t", "--cron", "every day");
    expect(badCron.code).toBe(1);
    expect(oneLine(badCron.stderr)).toMatch(/cron/);
    expect(
      (await run("schedule", "create", "x", "--task", "t", "--cron", "* * * * *", "--timezone", "Mars/X"))
        .code,
    ).toBe(1);
    expect(
      (await run("schedule", "create", "x", "--task", "t", "--cron", "* * * * *", "--overlap", "maybe")).code,
    ).toBe(2);
    expect((await run("schedule", "create", "x", "--task", "t", "--cron", "* * * * *")).code).toBe(0);
    const again = await run("schedule", "create", "x", "--task", "t", "--cron", "* * * * *");
    expect(again.code).toBe(1);
    expect(oneLine(again.stderr)).toMatch(/SCHEDULE_ALREADY_EXISTS/);
  });
});
