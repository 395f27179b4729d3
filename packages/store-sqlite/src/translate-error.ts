import { StoreUnavailableError, ZartError } from "@zart/core";

/** The `code` of a better-sqlite3 `SqliteError` (`"SQLITE_BUSY"`, `"SQLITE_READONLY_DBMOVED"`, …). */
function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_") ? code : undefined;
}

/** What went wrong, in words a user can act on, for the errors that mean "the store is unusable". */
function describe(error: unknown, where: string, busyTimeoutMs: number): string | undefined {
  const code = sqliteCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === undefined) {
    if (/directory does not exist/i.test(message)) {
      return `Cannot open ${where}: its directory does not exist; create the directory first.`;
    }
    if (/connection is not open/i.test(message)) {
      return `${where} is closed; create a new SqliteScheduler.`;
    }
    return undefined;
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return `${where} stayed locked by another connection for longer than busyTimeoutMs (${busyTimeoutMs} ms); retry later or raise busyTimeoutMs.`;
  }
  if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_PERM") || code === "SQLITE_AUTH") {
    return `${where} is read-only (${code}); the scheduler needs write access to the file and its directory.`;
  }
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return `${where} is not a valid SQLite database or is corrupt (${code}); point the scheduler at another file.`;
  }
  if (code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_IOERR") || code === "SQLITE_FULL") {
    return `${where} cannot be read or written (${code}: ${message}); check the path, permissions and free disk space.`;
  }
  if (/no such table: zart_/.test(message)) {
    return `${where} has no Zart schema; call migrate() once before using the scheduler.`;
  }
  return undefined;
}

/**
 * Translates a driver error at the store's boundary: busy past the timeout, read-only, corrupt,
 * unreadable, closed or unmigrated storage → `StoreUnavailableError` (the driver error as `cause`).
 * Zart errors and anything unexpected (a bug) are returned unchanged.
 */
export function translateError(error: unknown, where: string, busyTimeoutMs: number): unknown {
  if (error instanceof ZartError) return error;
  const message = describe(error, where, busyTimeoutMs);
  return message === undefined ? error : new StoreUnavailableError(message, { cause: error });
}
