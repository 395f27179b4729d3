import type { Clock } from "@zart/core";
import type { Database } from "better-sqlite3";

/** Where the data lives: a file path (opened and closed by the scheduler) or an existing handle. */
export type SqliteSource =
  | {
      /**
       * Path of the database file, created if missing (its directory must exist). `":memory:"`
       * keeps the data in this connection only: gone at `close()`, never shared between processes.
       */
      path: string;
      database?: never;
    }
  | {
      /**
       * An open better-sqlite3 handle. The scheduler configures it (WAL, `busy_timeout`,
       * `synchronous`) but never closes it: `close()` leaves it open for its owner.
       */
      database: Database;
      path?: never;
    };

/** Options of {@link SqliteScheduler}. */
export type SqliteSchedulerOptions = SqliteSource & {
  /** The clock the engine reads `now` from. Default: the system clock. */
  clock?: Clock;
  /**
   * `PRAGMA synchronous`. `"NORMAL"` (default) is durable against process crashes in WAL mode and
   * may lose the last commits on power loss or an OS crash; `"FULL"` syncs every commit.
   */
  synchronous?: "NORMAL" | "FULL";
  /**
   * How long a write waits for another connection's lock before giving up with
   * `StoreUnavailableError` (`PRAGMA busy_timeout`). Default 5000 ms.
   */
  busyTimeoutMs?: number;
  /**
   * A drizzle instance over this store's own handle (`drizzle(database)`): `ctx.transaction`
   * bodies then get it as `tx`, inside the step's transaction. Default: `tx` is the
   * better-sqlite3 handle itself.
   */
  transactionDatabase?: DrizzleOverHandle;
};

/**
 * A drizzle instance over a better-sqlite3 handle (`drizzle(database)`), described by the field the
 * store checks, so drizzle's types stay out of this package's public types.
 */
export interface DrizzleOverHandle {
  readonly $client: Database;
}

/** Default of {@link SqliteSchedulerOptions.busyTimeoutMs}. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
