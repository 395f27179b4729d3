import { type Clock, type Duration, type Logger, toMillis, ValidationError } from "@zart/core";
import type pg from "pg";
import { isValidSchemaName } from "./db/names.js";
import type { TransactionDatabase } from "./verbs/transactional-step.js";

interface CommonOptions {
  /**
   * The PostgreSQL schema holding Zart's tables, so several apps can share one database.
   * Lowercase letters, digits and `_`, at most 40 characters. Default `"zart"`.
   */
  schema?: string;
  /**
   * The clock the engine reads `now` from. Default: the system clock. Given without `timeSource`,
   * it is used as is (`timeSource: "local"`), so a `ManualClock` drives tests.
   */
  clock?: Clock;
  /**
   * Where time comes from. `"database"` (the default unless `clock` is given): lease expiry, claims,
   * due times and deadlines follow PostgreSQL's clock: the store measures the offset between the
   * server's `clock_timestamp()` and the local clock (`clock`, or the system clock) over a round
   * trip, every 30 s and after a new connection, and hands the engine local time plus that offset,
   * so workers whose clocks disagree still agree on time. `"local"`: the local clock as is (every
   * machine's clock must then be kept in sync, e.g. by NTP).
   */
  timeSource?: TimeSource;
  /** Where connection trouble is reported (LISTEN reconnects, retried writes). Default: console warnings. */
  logger?: Logger;
  /**
   * How long a worker's fenced write is retried through connection faults (a server restart)
   * before it fails with `StoreUnavailableError`. Default `"5s"`; `0` disables retrying.
   */
  retryWindow?: Duration;
  /**
   * Where `ctx.transaction` bodies run; it must be on the store's own database. A `pg.Pool` (the
   * body's `tx` is a client of it inside `BEGIN`) or a drizzle instance (`tx` is a drizzle
   * transaction). Default: the store's own pool, `tx` a `pg.PoolClient`.
   */
  transactionDatabase?: TransactionDatabase;
}

/** See {@link CommonOptions.timeSource}. */
export type TimeSource = "database" | "local";

/** Options of {@link PostgresScheduler}: a connection string (we own the pool) or an existing pool. */
export type PostgresSchedulerOptions = CommonOptions &
  (
    | {
        /** `postgres://user:password@host:port/database`; the scheduler creates and closes its own pool. */
        connectionString: string;
        pool?: never;
        /** Connections in the scheduler's own pool (one is held for LISTEN once subscribed). Default 10. */
        poolSize?: number;
      }
    | {
        /** An existing `pg.Pool`, shared with the application: never closed by the scheduler. */
        pool: pg.Pool;
        connectionString?: never;
        poolSize?: never;
      }
  );

/** The validated options. */
export interface ResolvedOptions {
  schema: string;
  timeSource: TimeSource;
  retryWindowMs: number;
  poolSize: number;
}

/** Validates the options; throws `ValidationError` with a message saying what to fix. */
export function resolveOptions(options: PostgresSchedulerOptions): ResolvedOptions {
  const hasUrl = typeof options.connectionString === "string" && options.connectionString.length > 0;
  const hasPool = options.pool !== undefined && options.pool !== null;
  if (hasUrl === hasPool) {
    throw new ValidationError("PostgresScheduler needs exactly one of `connectionString` or `pool`.");
  }
  if (hasUrl && isMultiHost(options.connectionString!)) {
    throw new ValidationError(
      "connectionString lists several hosts, which node-postgres does not support (it cannot parse them, " +
        "nor apply target_session_attrs): point it at one name that follows the primary (a proxy such " +
        "as HAProxy or PgBouncer, a cloud writer endpoint, a DNS name your failover updates).",
    );
  }
  const schema = options.schema ?? "zart";
  if (!isValidSchemaName(schema)) {
    throw new ValidationError(
      `Invalid schema name "${schema}": use lowercase letters, digits and "_" (not starting with a digit), at most 40 characters.`,
    );
  }
  const poolSize = options.poolSize ?? 10;
  if (!Number.isInteger(poolSize) || poolSize < 2) {
    throw new ValidationError(`poolSize must be an integer of at least 2, got ${options.poolSize}.`);
  }
  const retryWindowMs = toMillis(options.retryWindow ?? "5s", "retryWindow");
  const target = options.transactionDatabase as unknown;
  if (
    target !== undefined &&
    !(typeof target === "object" && target !== null && "transaction" in target) &&
    !(typeof target === "object" && target !== null && "totalCount" in target)
  ) {
    throw new ValidationError("transactionDatabase must be a pg.Pool or a drizzle instance (drizzle(pool)).");
  }
  const timeSource = options.timeSource ?? (options.clock === undefined ? "database" : "local");
  if (timeSource !== "database" && timeSource !== "local") {
    throw new ValidationError(
      `timeSource must be "database" or "local", got ${JSON.stringify(options.timeSource)}.`,
    );
  }
  return { schema, timeSource, retryWindowMs, poolSize };
}

/** `postgres://user@h1:5432,h2:5432/db`: a libpq multi-host string (a comma in the authority). */
function isMultiHost(connectionString: string): boolean {
  const authority = /^[a-z]+:\/\/([^/?#]*)/i.exec(connectionString)?.[1] ?? "";
  return authority.slice(authority.lastIndexOf("@") + 1).includes(",");
}
