import { setTimeout as sleep } from "node:timers/promises";
import { type Logger, StoreUnavailableError } from "@zart/core";
import type pg from "pg";
import type { SchemaNames } from "./names.js";
import { isConnectionError, translateError } from "./translate-error.js";

/** A SQL statement of one hot operation: a stable name and its text for a given schema. */
export interface Statement {
  /** Unique per operation; becomes the prepared statement's name (with the schema). */
  name: string;
  text: (names: SchemaNames) => string;
}

/** Declares a statement (see the `sql/` files). */
export function statement(name: string, text: (names: SchemaNames) => string): Statement {
  return { name, text };
}

export interface DatabaseOptions {
  pool: pg.Pool;
  names: SchemaNames;
  logger: Logger;
  /** How long `fenced` retries through connection faults before giving up. */
  retryWindowMs: number;
}

/**
 * The store's only door to PostgreSQL: runs statements as named prepared statements (parsed once
 * per connection), translates driver errors at the boundary, and retries fenced worker writes
 * through connection faults.
 */
export class Database {
  readonly pool: pg.Pool;
  readonly names: SchemaNames;
  readonly #logger: Logger;
  readonly #retryWindowMs: number;
  readonly #texts = new Map<string, string>();
  #closed = false;

  constructor(options: DatabaseOptions) {
    this.pool = options.pool;
    this.names = options.names;
    this.#logger = options.logger;
    this.#retryWindowMs = options.retryWindowMs;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Later calls throw `StoreUnavailableError`. */
  markClosed(): void {
    this.#closed = true;
  }

  /** Throws `StoreUnavailableError` once closed. */
  ensureOpen(): void {
    if (this.#closed) {
      throw new StoreUnavailableError(
        "This PostgresScheduler is closed; create a new one to keep using the database.",
      );
    }
  }

  /** The named prepared-statement config of `stmt` for this schema. */
  config(stmt: Statement, values: unknown[]): pg.QueryConfig {
    return { name: `${this.names.schema}:${stmt.name}`, text: this.#textOf(stmt), values };
  }

  /** Runs `stmt` once (one round trip); driver errors are translated. */
  async run<R extends pg.QueryResultRow>(stmt: Statement, values: unknown[]): Promise<pg.QueryResult<R>> {
    this.ensureOpen();
    try {
      return await this.pool.query<R>(this.config(stmt, values));
    } catch (error) {
      throw translateError(error, this.names.schema);
    }
  }

  /**
   * Runs an idempotent fenced write, retrying it through connection faults (server restart, broken
   * connection) with backoff for up to the retry window, then `StoreUnavailableError`. Retrying is
   * safe because a fenced write whose first attempt did commit either writes the same rows again
   * (same position, same token) or, if that attempt already gave the lease up, matches nothing and
   * reports `LeaseLostError`, which the engine treats as "stop here": nothing is lost or doubled.
   */
  async fenced<R extends pg.QueryResultRow>(stmt: Statement, values: unknown[]): Promise<pg.QueryResult<R>> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.run<R>(stmt, values);
      } catch (error) {
        const elapsed = Date.now() - started;
        if (this.#closed || !(error instanceof StoreUnavailableError) || !isConnectionError(error.cause)) {
          throw error;
        }
        if (elapsed >= this.#retryWindowMs) throw error;
        const delay = Math.min(1_000, 50 * 2 ** attempt, this.#retryWindowMs - elapsed);
        if (attempt === 0) {
          this.#logger.warn("PostgreSQL write failed on a connection fault; retrying", {
            operation: stmt.name,
            error: String(error.cause),
          });
        }
        await sleep(delay * (0.75 + Math.random() / 2));
      }
    }
  }

  /** Runs `fn` in a transaction on one pooled client (BEGIN … COMMIT, ROLLBACK on error). */
  async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    this.ensureOpen();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translateError(error, this.names.schema);
    }
    let broken: unknown;
    try {
      await client.query("BEGIN");
      const result = await fn(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: unknown) => {
        broken = rollbackError;
      });
      throw translateError(error, this.names.schema);
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  #textOf(stmt: Statement): string {
    let text = this.#texts.get(stmt.name);
    if (text === undefined) {
      text = stmt.text(this.names);
      this.#texts.set(stmt.name, text);
    }
    return text;
  }
}
