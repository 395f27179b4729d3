import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";

/**
 * The migrations drizzle-kit generated from `schema.ts`, shipped in the package's `drizzle/`
 * folder. This file sits in `src/db/` (and `dist/db/`), so `../../drizzle` is that folder both when
 * running from source and from the build.
 */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));

/** Our own bookkeeping table, so a handle shared with an application's drizzle setup never mixes. */
const MIGRATIONS_TABLE = "__zart_migrations";

/**
 * Applies the pending migrations with drizzle's migrator; idempotent, and safe when several
 * processes (or connections) call it at once.
 *
 * Locking: drizzle's migrator reads the last applied migration and only then opens its own
 * (deferred) transaction, so two migrators racing on a fresh file could both read "nothing applied"
 * and both apply. We therefore run the whole migrator inside one `BEGIN IMMEDIATE` transaction:
 * the second migrator waits (up to `busy_timeout`) for the first one's write lock, then reads the
 * migrations table after the first committed and finds nothing to do. Inside it, drizzle's
 * `BEGIN` / `COMMIT` / `ROLLBACK` become a savepoint (see {@link nestedTransactions}).
 */
export function applyMigrations(database: Database.Database): string[] {
  const orm = drizzle({ client: nestedTransactions(database) });
  return database
    .transaction(() => {
      const before = appliedCount(database);
      migrate(orm, { migrationsFolder: MIGRATIONS_FOLDER, migrationsTable: MIGRATIONS_TABLE });
      // drizzle applies the journal's entries in order, so the new rows are the next tags.
      return shippedTags().slice(before, appliedCount(database));
    })
    .immediate();
}

/** How many migrations the database has recorded (0 before the first `migrate()`). */
function appliedCount(database: Database.Database): number {
  const table = database
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(MIGRATIONS_TABLE);
  if (table === undefined) return 0;
  return (database.prepare(`SELECT count(*) AS n FROM "${MIGRATIONS_TABLE}"`).get() as { n: number }).n;
}

/** The shipped migrations' names, in order (drizzle-kit's journal). */
function shippedTags(): string[] {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  return journal.entries.map((entry) => entry.tag);
}

const SAVEPOINT_STATEMENTS = new Map([
  ["BEGIN", "SAVEPOINT zart_migrate"],
  ["COMMIT", "RELEASE zart_migrate"],
  ["ROLLBACK", "ROLLBACK TO zart_migrate"],
]);

/**
 * The handle as drizzle's migrator sees it: the same connection, except that the statements it
 * brackets its work with (`BEGIN`, `COMMIT`, `ROLLBACK`) run as a savepoint of the transaction we
 * already hold. Should drizzle ever word them differently, SQLite rejects the nested `BEGIN` and
 * `migrate()` fails loudly (and the tests with it); nothing is applied outside our lock.
 */
function nestedTransactions(database: Database.Database): Database.Database {
  return new Proxy(database, {
    get(target, key) {
      if (key === "prepare") {
        return (source: string) => target.prepare(SAVEPOINT_STATEMENTS.get(source.trim()) ?? source);
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
