import { type Clock, type Logger, ValidationError } from "@zart/core";
import type { RedisOptions } from "ioredis";
import type { RedisClient } from "./db/commands.js";

/** Options shared by both ways of connecting. */
interface CommonOptions {
  /**
   * Start of every key this store writes. Default `"zart:"`. All keys of one prefix share the hash
   * tag `{<prefix without its trailing ":">}` (one Cluster slot); use another prefix for another,
   * fully separate keyspace (tests, tenants).
   */
  prefix?: string;
  /**
   * The clock the engine reads `now` from. Default: the system clock. Given without `timeSource`,
   * it is used as is (`timeSource: "local"`), so a `ManualClock` drives tests.
   */
  clock?: Clock;
  /**
   * Where time comes from. `"database"` (the default unless `clock` is given): lease expiry, claims,
   * due times and deadlines follow the Redis server's clock: the store measures the offset between
   * `TIME` and the local clock (`clock`, or the system clock) over a round trip, every 30 s and
   * after each reconnect, and hands the engine local time plus that offset, so workers whose clocks
   * disagree still agree on time. `"local"`: the local clock as is (every machine's clock must
   * then be kept in sync, e.g. by NTP).
   */
  timeSource?: TimeSource;
  /** Where the persistence warning (and connection trouble) is reported. Default: `console.warn`. */
  logger?: Logger;
}

/** See {@link CommonOptions.timeSource}. */
export type TimeSource = "database" | "local";

/** Connect from a URL: the store opens (and, on `close()`, closes) its own connections. */
export interface RedisUrlOptions extends CommonOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. */
  url: string;
  /** Extra ioredis options for the connections the store opens (TLS, timeouts, retry strategy). */
  redisOptions?: RedisOptions;
  client?: undefined;
}

/** Use an existing ioredis client (`Redis` or `Cluster`): never closed by the store. */
export interface RedisClientOptions extends CommonOptions {
  /**
   * The client to run commands on. The store defines its Lua scripts on it (as commands named
   * `zart…`) and opens one `duplicate()` of it for pub/sub, which it closes on `close()`.
   */
  client: RedisClient;
  url?: undefined;
}

/** Options of {@link RedisScheduler}: `{ url }` or `{ client }`, plus `prefix`, `clock`, `logger`. */
export type RedisSchedulerOptions = RedisUrlOptions | RedisClientOptions;

/** The default key prefix. */
export const DEFAULT_PREFIX = "zart:";

/** The time source the options ask for: `"database"` unless a `clock` is given; anything else is refused. */
export function resolveTimeSource(options: RedisSchedulerOptions): TimeSource {
  const timeSource = options.timeSource ?? (options.clock === undefined ? "database" : "local");
  if (timeSource !== "database" && timeSource !== "local") {
    throw new ValidationError(
      `timeSource must be "database" or "local", got ${JSON.stringify(options.timeSource)}.`,
    );
  }
  return timeSource;
}
