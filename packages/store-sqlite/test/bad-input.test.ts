import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StoreUnavailableError, ValidationError } from "@zart/core";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteScheduler, type SqliteSchedulerOptions } from "../src/index.js";

const directory = mkdtempSync(join(tmpdir(), "zart-sqlite-bad-input-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Root writes through `chmod 0444`, so a read-only file cannot be made that way. */
const runningAsRoot = process.getuid?.() === 0;

/** The error `fn` throws (synchronously or not). */
async function errorOf(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

function expectUnavailable(error: unknown): void {
  expect(error).toBeInstanceOf(StoreUnavailableError);
  expect((error as StoreUnavailableError).code).toBe("STORE_UNAVAILABLE");
}

/** A migrated database file holding one execution. */
async function migratedFile(name: string): Promise<string> {
  const path = join(directory, name);
  const scheduler = new SqliteScheduler({ path });
  await scheduler.migrate();
  await scheduler.createExecution(
    { executionId: "e1", taskName: "t", payload: "1", runAt: new Date() },
    new Date(),
  );
  await scheduler.close();
  return path;
}

describe("bad input: unusable storage → StoreUnavailableError, bad options → ValidationError", () => {
  it("a path in a missing directory", async () => {
    const error = await errorOf(() => new SqliteScheduler({ path: join(directory, "missing", "zart.db") }));
    expectUnavailable(error);
    expect((error as Error).message).toContain("directory does not exist");
  });

  it("a file that is not a database", async () => {
    const path = join(directory, "corrupt.db");
    writeFileSync(path, "this is not a SQLite database\n".repeat(200));
    expectUnavailable(await errorOf(() => new SqliteScheduler({ path })));
  });

  it.skipIf(runningAsRoot)(
    "a read-only file (chmod 0444; skipped when running as root, which writes through it)",
    async () => {
      const path = await migratedFile("chmod-read-only.db");
      chmodSync(path, 0o444);
      expectUnavailable(await errorOf(() => new SqliteScheduler({ path })));
    },
  );

  it("a database handle opened read-only", async () => {
    const path = await migratedFile("handle-read-only.db");
    const database = new Database(path, { readonly: true });
    expectUnavailable(await errorOf(() => new SqliteScheduler({ database })));
    expect(database.open).toBe(true);
    database.close();
  });

  it("a closed database handle", async () => {
    const database = new Database(":memory:");
    database.close();
    expectUnavailable(await errorOf(() => new SqliteScheduler({ database })));
  });

  it("a database that was never migrated", async () => {
    const scheduler = new SqliteScheduler({ path: ":memory:" });
    const error = await errorOf(() => scheduler.getExecution("e1"));
    expectUnavailable(error);
    expect((error as Error).message).toContain("migrate()");
    await scheduler.close();
  });

  it("a write that stays locked by another connection past busyTimeoutMs", async () => {
    const path = await migratedFile("busy.db");
    const scheduler = new SqliteScheduler({ path, busyTimeoutMs: 20 });
    const other = new Database(path);
    other.exec("BEGIN IMMEDIATE");
    try {
      const error = await errorOf(() =>
        scheduler.createExecution(
          { executionId: "e2", taskName: "t", payload: "1", runAt: new Date() },
          new Date(),
        ),
      );
      expectUnavailable(error);
      expect((error as Error).message).toContain("busyTimeoutMs");
      // Readers are never blocked by the writer (WAL).
      expect((await scheduler.getExecution("e1"))?.execution.status).toBe("pending");
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    await scheduler.createExecution(
      { executionId: "e2", taskName: "t", payload: "1", runAt: new Date() },
      new Date(),
    );
    await scheduler.close();
  });

  it("invalid options → ValidationError", async () => {
    for (const options of [{ path: ":memory:", busyTimeoutMs: -1 }, {}, { path: 42 }]) {
      const error = await errorOf(() => new SqliteScheduler(options as SqliteSchedulerOptions));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).code).toBe("VALIDATION");
    }
  });
});
