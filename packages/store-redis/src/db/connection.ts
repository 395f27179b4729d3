import type { Logger } from "@zart/core";
import { Redis } from "ioredis";
import type { RedisSchedulerOptions } from "../options.js";
import type { RedisClient } from "./commands.js";

/** The command client of a store, and whether the store opened it (and so must close it). */
export interface Connection {
  client: RedisClient;
  owned: boolean;
  /** A printable name of the server, without credentials (for messages). */
  server: string;
}

/** Opens a client for `{ url }`, or adopts the `{ client }` passed in (never closed by us). */
export function connect(options: RedisSchedulerOptions, logger: Logger): Connection {
  if (options.client !== undefined) {
    return { client: options.client, owned: false, server: describeClient(options.client) };
  }
  const client = new Redis(options.url, options.redisOptions ?? {});
  reportOutages(client, logger);
  return { client, owned: true, server: describeUrl(options.url) };
}

/** Closes a client the store opened: politely (QUIT) when connected, at once otherwise. */
export async function disconnect(client: RedisClient): Promise<void> {
  if (client.status !== "ready") {
    client.disconnect();
    return;
  }
  const timer = setTimeout(() => client.disconnect(), 1_000);
  try {
    await client.quit();
  } catch {
    client.disconnect();
  } finally {
    clearTimeout(timer);
  }
}

/** Reports a lost connection once per outage (ioredis reconnects by itself). */
function reportOutages(client: RedisClient, logger: Logger): void {
  let reported = false;
  client.on("error", (error: Error) => {
    if (reported) return;
    reported = true;
    logger.warn({ error: error.message }, "the Redis connection failed; ioredis is reconnecting");
  });
  client.on("ready", () => {
    reported = false;
  });
}

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === "/" ? "" : parsed.pathname}`;
  } catch {
    return "redis";
  }
}

function describeClient(client: RedisClient): string {
  if (client.isCluster) return "redis-cluster";
  const { host, port, path } = (client as Redis).options;
  return path ? `unix:${path}` : `redis://${host ?? "localhost"}:${port ?? 6379}`;
}
