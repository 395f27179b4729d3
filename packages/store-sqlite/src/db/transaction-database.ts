import { ValidationError } from "@zart/core";
import type Database from "better-sqlite3";
import type { SqliteSchedulerOptions } from "../options.js";

/**
 * The handle `ctx.transaction` bodies get as `tx`: the drizzle instance of `transactionDatabase`,
 * which must wrap this store's own handle (a second connection could not write while the step's
 * transaction holds SQLite's write lock); absent = the better-sqlite3 handle itself.
 */
export function transactionDatabaseOf(options: SqliteSchedulerOptions, database: Database.Database): unknown {
  const target = options.transactionDatabase;
  if (target === undefined) return undefined;
  if ((target as { $client?: unknown }).$client !== database) {
    throw new ValidationError(
      "transactionDatabase must be a drizzle instance over this store's own handle: drizzle(scheduler.database), or pass that handle as `database`.",
    );
  }
  return target;
}
