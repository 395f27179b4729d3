/**
 * The shared local servers. Each system gets its own Postgres database (dropped and recreated per
 * run) and its own Redis key prefix (its keys deleted per run; never FLUSHALL).
 */
import { Redis } from "ioredis";
import pg from "pg";

export const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

/** The URL of database `name` on the benchmark server. */
export function databaseUrl(name: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Runs `fn` on a new connection to `url`. Connecting is retried: while other systems load their
 * W6 history side by side, a new backend has been seen to take over 5 s to start on this machine.
 */
async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  let client: pg.Client | undefined;
  for (let attempt = 1; client === undefined; attempt++) {
    const candidate = new pg.Client({ connectionString: url, connectionTimeoutMillis: 30_000 });
    try {
      await candidate.connect();
      client = candidate;
    } catch (error) {
      await candidate.end().catch(() => undefined);
      if (attempt === 3) throw error;
    }
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  return withClient(PG_URL, fn);
}

/** Drops (closing its connections) and recreates database `name`; returns its URL. */
export async function resetDatabase(name: string): Promise<string> {
  if (!/^bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to reset database "${name}"`);
  await withAdmin(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
  return databaseUrl(name);
}

/**
 * `VACUUM ANALYZE` of a whole database: what autovacuum would have done by now on a production
 * server (this machine's server runs with `autovacuum = off`, so without it the dead rows of a
 * long load pile up in every system's queue indexes and its planner statistics stay those of an
 * empty table).
 */
export async function vacuumDatabase(url: string): Promise<void> {
  await withClient(url, (client) => client.query("VACUUM ANALYZE"));
}

export async function postgresVersion(): Promise<string> {
  return withAdmin(async (client) => {
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return rows[0]?.v ?? "unknown";
  });
}

function redisClient(): Redis {
  return new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000 });
}

/** Deletes every key starting with `prefix` (SCAN + UNLINK). */
export async function cleanRedisPrefix(prefix: string): Promise<void> {
  if (!prefix.startsWith("zbench")) throw new Error(`refusing to clean Redis prefix "${prefix}"`);
  const redis = redisClient();
  await redis.connect();
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

export async function redisVersion(): Promise<string> {
  const redis = redisClient();
  await redis.connect();
  try {
    const info = await redis.info("server");
    return /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
  } finally {
    redis.disconnect();
  }
}

/** Advisory lock key shared by every `pnpm bench` on this server (ASCII "zbench"). */
const RUN_LOCK_KEY = 0x7a62656e6368;

/**
 * Makes concurrent `pnpm bench` runs on one server take turns: they use the same database names and
 * Redis prefixes, so one run's resets would kill the other's connections. Holds a session advisory
 * lock on its own connection until `release`. Without a reachable Postgres there is nothing to
 * protect, and it resolves at once.
 */
export async function acquireRunLock(log: (message: string) => void): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch {
    return async () => {};
  }
  client.on("error", () => {});
  const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [
    RUN_LOCK_KEY,
  ]);
  if (!rows[0]?.ok) {
    log("another pnpm bench is running on this server; waiting for it to finish…");
    await client.query("SELECT pg_advisory_lock($1)", [RUN_LOCK_KEY]);
  }
  return async () => {
    await client.end().catch(() => undefined);
  };
}
