import { setTimeout as sleep } from "node:timers/promises";
import { type LeaseLostError, type Logger, StoreUnavailableError } from "@zart/core";
import { type Lease, leaseLost } from "@zart/core/store";
import type pg from "pg";
import { isConnectionError, translateError } from "../translate-error.js";
import type { SchemaNames } from "./names.js";

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

const releasedExecutionSql = statement(
  "released-execution",
  (n) => `SELECT 1 FROM ${n.executions} WHERE execution_id = $1 AND released_by = $2`,
);

const releasedChildSql = statement(
  "released-child",
  (n) => `SELECT 1 FROM ${n.steps} WHERE execution_id = $1 AND position = $2 AND released_by = $3`,
);

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
  readonly #locals = new Map<string, unknown>();
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
   * Runs a fenced worker write, retrying it through connection faults (server restart, broken
   * connection) with backoff for up to the retry window, then `StoreUnavailableError`.
   *
   * Retrying is safe although the first attempt's commit outcome is unknown: a write that keeps the
   * lease (save-step, renew) writes the same rows again with the same token; a write that gives
   * the lease up (complete, suspend, settle…) records the token in `released_by`, so when the
   * retry matches no lease, `released_by = token` proves the first attempt committed and the
   * write is reported done (`replayed`) instead of `LeaseLostError`. When nothing matches and no
   * earlier attempt committed, throws `LeaseLostError`.
   */
  async fenced<R extends pg.QueryResultRow>(
    stmt: Statement,
    values: unknown[],
    fence: { lease: Lease; matched: (result: pg.QueryResult<R>) => boolean },
  ): Promise<{ result: pg.QueryResult<R>; replayed: boolean }> {
    const { result, uncertain } = await this.retrying<R>(stmt, values);
    if (fence.matched(result)) return { result, replayed: false };
    if (uncertain && (await this.releasedBy(fence.lease))) return { result, replayed: true };
    throw leaseLost(fence.lease);
  }

  /**
   * Runs a fenced write (or a batch of them) through connection faults, as `fenced` does, and
   * returns its result with `uncertain`: true when an earlier attempt failed with an unknown
   * commit outcome, so a lease the result does not match may have been given up by that attempt
   * (check with `releasedBy`). `fault.uncertain` is set as soon as that happens (so a caller still
   * knows it when the call then throws); pass `{ uncertain: true }` to re-send a write whose earlier
   * attempt had an unknown outcome.
   */
  async retrying<R extends pg.QueryResultRow>(
    stmt: Statement,
    values: unknown[],
    fault: { uncertain: boolean } = { uncertain: false },
  ): Promise<{ result: pg.QueryResult<R>; uncertain: boolean }> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return { result: await this.run<R>(stmt, values), uncertain: fault.uncertain };
      } catch (error) {
        const elapsed = Date.now() - started;
        if (this.#closed || !(error instanceof StoreUnavailableError) || !isConnectionError(error.cause)) {
          throw error;
        }
        fault.uncertain = true;
        if (elapsed >= this.#retryWindowMs) throw error;
        const delay = Math.min(1_000, 50 * 2 ** attempt, this.#retryWindowMs - elapsed);
        if (attempt === 0) {
          this.#logger.warn(
            {
              operation: stmt.name,
              error: String(error.cause),
            },
            "PostgreSQL write failed on a connection fault; retrying",
          );
        }
        await sleep(delay * (0.75 + Math.random() / 2));
      }
    }
  }

  /**
   * The outcome of each fenced write of a batch, given the execution ids the batch statement
   * fenced: `undefined` (done) when fenced, or when `uncertain` and the lease's holder is found to
   * have given it up with an earlier attempt of this very write; `LeaseLostError` otherwise.
   */
  async fenceOutcomes(
    leases: Lease[],
    fenced: ReadonlySet<string>,
    uncertain: boolean,
  ): Promise<(LeaseLostError | undefined)[]> {
    return Promise.all(
      leases.map(async (lease) => {
        if (fenced.has(lease.executionId)) return undefined;
        if (uncertain && (await this.releasedBy(lease))) return undefined;
        return leaseLost(lease);
      }),
    );
  }

  /** Whether the lease's holder already gave it up with a committed write of its own. */
  async releasedBy(lease: Lease): Promise<boolean> {
    const { rowCount } =
      lease.kind === "child"
        ? await this.run(releasedChildSql, [lease.executionId, lease.childPosition, lease.token])
        : await this.run(releasedExecutionSql, [lease.executionId, lease.token]);
    return (rowCount ?? 0) > 0;
  }

  /**
   * State kept per `Database` (one per scheduler instance) under `key`, created on first use:
   * the write coalescers of the batched hot operations (see `sql/coalesced-writes.ts`).
   */
  local<T>(key: string, create: () => T): T {
    let value = this.#locals.get(key) as T | undefined;
    if (value === undefined) {
      value = create();
      this.#locals.set(key, value);
    }
    return value;
  }

  /**
   * Runs `fn` in a transaction on one pooled client (BEGIN … COMMIT, ROLLBACK on error). `begin`
   * opens it: `BEGIN`, or a simple query starting with it (statements that ride its round trip).
   */
  async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>, begin = "BEGIN"): Promise<T> {
    this.ensureOpen();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translateError(error, this.names.schema);
    }
    let broken: unknown;
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      // A connection that failed or reached a read-only server (a demoted primary) is discarded,
      // so the pool's next connection goes wherever the host name now points.
      if (isConnectionError(error)) broken = error;
      else
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
