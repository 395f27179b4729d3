import { InvalidTransactionError } from "@zart/core";
import type Database from "better-sqlite3";

/** How often to look whether the caller's transaction is over. */
const CHECK_EVERY_MS = 5;

/**
 * Calls `then` once `database` is no longer inside a transaction (committed or rolled back).
 * better-sqlite3 has no commit hook, so this looks after each tick; `then` decides from what
 * the database holds whether there is anything to announce.
 */
export function afterTransaction(database: Database.Database, then: () => void): void {
  const check = (): void => {
    if (database.open && database.inTransaction) {
      setTimeout(check, CHECK_EVERY_MS).unref();
      return;
    }
    then();
  };
  setImmediate(check);
}

/** A caller's `{ transaction }` must be the store's own handle (`database`), inside a transaction. */
export function checkCallerTransaction(database: Database.Database, transaction: unknown): void {
  if (transaction !== database) {
    throw new InvalidTransactionError("expected this store's own better-sqlite3 handle (scheduler.database)");
  }
  if (!database.inTransaction) {
    throw new InvalidTransactionError("the handle is not inside a transaction (run BEGIN first)");
  }
}
