import type { Logger } from "@zart/core";
import pg from "pg";

/** The pool a scheduler opens (and owns) when it is given a connection string. */
export function openPool(connectionString: string | undefined, max: number, logger: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: 10_000,
    // TCP keepalive: an idle connection to a host that vanished (failover, partition) is noticed.
    keepAlive: true,
  });
  // An idle connection dropped by a server restart must not crash the process.
  pool.on("error", (error) => logger.warn({ error: String(error) }, "idle PostgreSQL connection failed"));
  return pool;
}
