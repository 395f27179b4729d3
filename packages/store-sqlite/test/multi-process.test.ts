import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { multiProcessSuite } from "@zart/conformance";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { runScript, stopScript } from "./support/processes.js";
import { SHIPPED_MIGRATIONS } from "./support/shipped-migrations.js";

const directory = mkdtempSync(join(tmpdir(), "zart-sqlite-processes-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

// Worker processes on one database file, each test on a file of its own.
let files = 0;
multiProcessSuite({
  name: "sqlite",
  opener: new URL("./support/opener.ts", import.meta.url),
  storage: async () => join(directory, `shared-${++files}.db`),
});

describe("several processes on one database file", () => {
  it("two processes calling migrate() at once both succeed, and each migration is applied once", async () => {
    const paths = Array.from({ length: 10 }, (_, i) => join(directory, `migrate-${i}.db`));
    const racers = [0, 1].map(() => runScript("migrate-process.ts", paths));
    try {
      await Promise.all(racers.map((racer) => racer.waitFor("ready")));
      for (const racer of racers) racer.child.stdin?.write("go\n");
      const exits = await Promise.all(racers.map((racer) => racer.exited));
      expect(exits, racers.map((racer) => racer.stderr()).join("\n")).toEqual([
        { code: 0, signal: null },
        { code: 0, signal: null },
      ]);
    } finally {
      await Promise.all(racers.map((racer) => stopScript(racer)));
    }
    for (const path of paths) {
      const database = new Database(path, { readonly: true });
      const applied = database.prepare("SELECT count(*) AS n FROM __zart_migrations").get() as { n: number };
      const tables = database
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'zart_%' ORDER BY name")
        .all();
      database.close();
      expect(applied.n).toBe(SHIPPED_MIGRATIONS);
      expect(tables).toEqual([
        { name: "zart_debounces" },
        { name: "zart_events" },
        { name: "zart_executions" },
        { name: "zart_pause_rules" },
        { name: "zart_rate_windows" },
        { name: "zart_runs" },
        { name: "zart_schedules" },
        { name: "zart_steps" },
        { name: "zart_workers" },
      ]);
    }
  });
});
