import { type Clock, type Logger, StoreClock, systemClock } from "@zart/core";
import type pg from "pg";

const READ_TIME = "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms";

/** A new connection is at most this often a reason to measure the offset again (ms). */
const RECONNECT_REFRESH_MS = 1_000;

/**
 * The clock of `timeSource: "database"`: `base` plus its offset to the server's `clock_timestamp()`
 * (the time when the statement reads it, not the transaction's start). Measured again whenever the
 * pool opens a connection (after a restart or failover it may reach another server, with another
 * clock), at most once a second. Returns the clock and what detaches it from the pool.
 */
export function databaseClock(
  pool: pg.Pool,
  base: Clock | undefined,
  logger: Logger,
): [StoreClock, () => void] {
  const clock = new StoreClock({
    base: base ?? systemClock,
    logger,
    openProbe: async () => {
      const client = await pool.connect();
      let failed = false;
      return {
        read: async () => {
          try {
            return (await client.query<{ ms: number }>(READ_TIME)).rows[0]!.ms;
          } catch (error) {
            failed = true;
            throw error;
          }
        },
        // A connection that failed is discarded, not given back to the pool.
        release: () => client.release(failed),
      };
    },
  });
  let refreshedAt = Number.NEGATIVE_INFINITY;
  const onConnect = () => {
    if (performance.now() - refreshedAt < RECONNECT_REFRESH_MS) return;
    refreshedAt = performance.now();
    void clock.refresh();
  };
  pool.on("connect", onConnect);
  return [
    clock,
    () => {
      clock.close();
      pool.off("connect", onConnect);
    },
  ];
}
