import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runConformance } from "@zart/conformance";
import Database from "better-sqlite3";
import { SqliteScheduler } from "../src/index.js";

// On a file: every test gets a fresh database file in a temporary directory; every `create()` of
// the test opens a new scheduler (its own connection) on that file.
const directory = mkdtempSync(join(tmpdir(), "zart-sqlite-conformance-"));
let file = "";
let files = 0;

runConformance({
  name: "sqlite-file",
  create: async (clock) => new SqliteScheduler({ path: file, clock }),
  reset: async () => {
    file = join(directory, `test-${++files}.db`);
  },
  teardown: async () => rmSync(directory, { recursive: true, force: true }),
});

// In memory: one connection shared by every scheduler (passed as `database`, so `close()` leaves it
// open and a re-created scheduler sees the same data); reset deletes every row.
const shared = new Database(":memory:");

runConformance({
  name: "sqlite-memory",
  create: async (clock) => new SqliteScheduler({ database: shared, clock }),
  reset: async () => {
    const tables = shared
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'zart\\_%' ESCAPE '\\'")
      .all() as { name: string }[];
    for (const { name } of tables) shared.exec(`DELETE FROM "${name}"`);
  },
  teardown: async () => {
    shared.close();
  },
});
