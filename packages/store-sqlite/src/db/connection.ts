import { resolve } from "node:path";
import { StoreUnavailableError, ValidationError } from "@zart/core";
import Database from "better-sqlite3";
import { DEFAULT_BUSY_TIMEOUT_MS, type SqliteSchedulerOptions } from "../options.js";
import { translateError } from "../translate-error.js";

/** An open, configured connection and what the scheduler needs to know about it. */
export interface Connection {
  database: Database.Database;
  /** Whether the scheduler opened it (and so closes it). */
  owned: boolean;
  /** In-memory: lives in this connection only. */
  memory: boolean;
  /** Identifies the storage within this process (the absolute file path, or the handle itself). */
  storageKey: string | Database.Database;
  /** How messages name it: `SQLite database "/abs/path.db"`. */
  label: string;
  busyTimeoutMs: number;
}

/**
 * Opens (or adopts) the connection and configures it: WAL journal (so readers never block the one
 * writer), `busy_timeout`, `synchronous`, then proves it can write. Anything that makes the storage
 * unusable (a missing directory, a read-only or corrupt file) → `StoreUnavailableError` here, and a
 * connection we opened is closed again.
 */
export function openConnection(options: SqliteSchedulerOptions): Connection {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new ValidationError(`busyTimeoutMs must be a non-negative integer, got ${busyTimeoutMs}.`);
  }
  if (options.database === undefined && typeof options.path !== "string") {
    throw new ValidationError('SqliteScheduler needs { path: "./zart.db" } (or ":memory:") or { database }.');
  }
  const owned = options.database === undefined;
  const label = `SQLite database "${owned ? resolvePath(options.path) : options.database.name}"`;
  let database: Database.Database | undefined;
  try {
    database = options.database ?? new Database(options.path, { timeout: busyTimeoutMs });
    if (!database.open) throw new StoreUnavailableError(`${label} handle is closed; pass an open one.`);
    if (database.readonly) {
      throw new StoreUnavailableError(`${label} was opened read-only; the scheduler needs write access.`);
    }
    configure(database, busyTimeoutMs, options.synchronous ?? "NORMAL");
    const memory = database.memory;
    return {
      database,
      owned,
      memory,
      storageKey: memory ? database : resolve(database.name),
      label,
      busyTimeoutMs,
    };
  } catch (error) {
    if (owned) database?.close();
    throw translateError(error, label, busyTimeoutMs);
  }
}

function resolvePath(path: string): string {
  return path === ":memory:" || path === "" ? path : resolve(path);
}

function configure(database: Database.Database, busyTimeoutMs: number, synchronous: "NORMAL" | "FULL"): void {
  database.pragma(`busy_timeout = ${busyTimeoutMs}`);
  if (database.memory) return;
  enableWal(database, busyTimeoutMs);
  database.pragma(`synchronous = ${synchronous === "FULL" ? "FULL" : "NORMAL"}`);
  // Rewriting the header's user_version with its own value is a real write: a read-only file
  // fails here, at construction, rather than at the first verb.
  const version = Number(database.pragma("user_version", { simple: true }));
  database.pragma(`user_version = ${version}`);
}

/**
 * Switches to WAL, waiting out other connections that are switching too: that needs an exclusive
 * lock, and two connections holding shared locks that both ask for it would deadlock, so SQLite
 * answers SQLITE_BUSY at once instead of calling the busy handler. Retried for up to
 * `busyTimeoutMs` (a constructor cannot await, hence the blocking sleep).
 */
function enableWal(database: Database.Database, busyTimeoutMs: number): void {
  const giveUpAt = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      database.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== "SQLITE_BUSY" || Date.now() >= giveUpAt) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 + Math.random() * 20);
    }
  }
}
