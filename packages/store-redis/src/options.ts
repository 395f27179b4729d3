import type { Clock, Logger } from "@zart/core";
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
  /** The clock the engine reads `now` from. Default: the system clock. */
  clock?: Clock;
  /** Where the persistence warning (and connection trouble) is reported. Default: `console.warn`. */
  logger?: Logger;
}

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
