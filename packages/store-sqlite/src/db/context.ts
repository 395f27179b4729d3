import { StoreUnavailableError } from "@zart/core";
import type { WakeReason } from "@zart/core/store";
import type Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { translateError } from "../translate-error.js";
import { WakeUps } from "../wake-ups.js";
import type { Connection } from "./connection.js";
import type { Orm } from "./rows.js";
import { TransactionGate } from "./transaction-gate.js";
import { WriteBatch } from "./write-batch.js";

/**
 * What every verb runs with: the connection, its transactions and the scheduler's wake-ups.
 *
 * Every verb is one synchronous transaction. Writes use `BEGIN IMMEDIATE`, which takes SQLite's
 * single write lock before reading, so each verb's reads and writes are atomic against every other
 * connection and process. Reads use a deferred transaction: one consistent WAL snapshot, never
 * blocked by the writer. While a `ctx.transaction` body holds the connection, both wait for its end
 * (see `TransactionGate`).
 */
export class SqliteContext {
  readonly database: Database.Database;
  readonly orm: Orm;
  /** What `ctx.transaction` bodies get as `tx` (absent: the better-sqlite3 handle itself). */
  readonly transactionDatabase: unknown;
  readonly gate = new TransactionGate();
  /** This scheduler's in-process wake-ups (the hub it shares with schedulers on the same file). */
  readonly wakeUps: WakeUps;
  readonly #connection: Connection;
  readonly #transaction: ReturnType<Database.Database["transaction"]>;
  readonly #batch: WriteBatch;
  #closed = false;

  constructor(connection: Connection, transactionDatabase: unknown) {
    this.#connection = connection;
    this.database = connection.database;
    this.orm = drizzle(this.database);
    this.transactionDatabase = transactionDatabase;
    this.wakeUps = new WakeUps(connection.storageKey);
    this.#transaction = this.database.transaction((body: () => unknown) => body());
    this.#batch = new WriteBatch({
      database: this.database,
      transaction: this.#transaction,
      whenFree: (flush) => void this.gate.whenFree(flush),
      translate: (error) => this.translate(error),
      ensureOpen: () => this.ensureOpen(),
    });
  }

  /** Pushes a wake-up to every listener on this storage in this process (after the commit). */
  emit(reason: WakeReason, executionId: string): void {
    this.wakeUps.emit({ reason, executionId });
  }

  /** Runs `body` in one `BEGIN IMMEDIATE` transaction; driver errors are translated. */
  write<T>(body: () => T): T | Promise<T> {
    return this.gate.whenFree(() => this.writeNow(body));
  }

  /**
   * `write` for the worker's hot writes: committed with the others made in this turn of the event
   * loop, each in a savepoint of its own (see `WriteBatch`).
   */
  writeBatched<T>(body: () => T): Promise<T> {
    return this.#batch.submit(body);
  }

  /** `write` without waiting for a transactional step (inside the caller's own open transaction). */
  writeNow<T>(body: () => T): T {
    this.ensureOpen();
    try {
      return this.#transaction.immediate(body) as T;
    } catch (error) {
      throw this.translate(error);
    }
  }

  /** Runs `body` in one deferred (read) transaction: one snapshot; driver errors are translated. */
  read<T>(body: () => T): T | Promise<T> {
    return this.gate.whenFree(() => {
      this.ensureOpen();
      try {
        return this.#transaction.deferred(body) as T;
      } catch (error) {
        throw this.translate(error);
      }
    });
  }

  /** A driver error → the store's typed error. */
  translate(error: unknown): unknown {
    return translateError(error, this.#connection.label, this.#connection.busyTimeoutMs);
  }

  /** Marks the scheduler closed (later verbs fail) and drops its listeners; false if it already was. */
  close(): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    this.wakeUps.close();
    return true;
  }

  ensureOpen(): void {
    if (this.#closed || !this.database.open) {
      throw new StoreUnavailableError(`${this.#connection.label} is closed; create a new SqliteScheduler.`);
    }
  }
}
