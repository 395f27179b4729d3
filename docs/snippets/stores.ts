import { ManualClock } from "@zart/core";
import { MemoryScheduler, MemoryStorage } from "@zart/store-memory";
import { PostgresScheduler } from "@zart/store-postgres";
import { RedisScheduler } from "@zart/store-redis";
import { SqliteScheduler } from "@zart/store-sqlite";
import Database from "better-sqlite3";
import { Redis } from "ioredis";
import pg from "pg";

// #region memory
const clock = new ManualClock(); // optional: time moves only when you say so
const storage = new MemoryStorage();
const memory = new MemoryScheduler({ clock, storage });
await memory.close();
// The data lives in `storage`: a new scheduler over it sees everything (a
// simulated restart).
const reopened = new MemoryScheduler({ clock, storage });
// #endregion memory

// #region sqlite
const sqlite = new SqliteScheduler({
  path: "./zart.db", // created if missing; ":memory:" for a throwaway database
  synchronous: "NORMAL", // or "FULL": sync every commit (survives power loss)
  busyTimeoutMs: 5_000, // how long a write waits for another process's lock
});
await sqlite.migrate();
// Or on a better-sqlite3 handle you own (configured by the store, never closed
// by it):
const sqliteShared = new SqliteScheduler({
  database: new Database("./app.db"),
});
// #endregion sqlite

// #region postgres
const postgres = new PostgresScheduler({
  connectionString: "postgres://app:secret@db.internal:5432/app",
  schema: "zart", // the PostgreSQL schema holding the tables (default "zart")
  poolSize: 10, // connections in the store's own pool; one is held for LISTEN
  // retry a worker's fenced write through a connection fault this long
  retryWindow: "5s",
});
await postgres.migrate(); // safe from any number of processes at once
// Or share your application's pool (never closed by the store):
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
const postgresShared = new PostgresScheduler({ pool, schema: "zart" });
// #endregion postgres

// #region redis
const redis = new RedisScheduler({
  url: "redis://redis.internal:6379",
  // every key starts with it; another prefix is another keyspace
  prefix: "zart:",
  redisOptions: { maxRetriesPerRequest: 20 }, // passed to ioredis
});
await redis.migrate(); // runs the safety checks (eviction policy, persistence)
// Or an ioredis client you own (a Redis or a Cluster); the store opens one
// duplicate() for pub/sub:
const redisShared = new RedisScheduler({
  client: new Redis(process.env.REDIS_URL ?? ""),
  prefix: "billing:",
});
// #endregion redis

for (const store of [
  reopened,
  sqlite,
  sqliteShared,
  postgres,
  postgresShared,
  redis,
  redisShared,
]) {
  console.log(store.capabilities); // { multiProcess, push, persistent, … }
  await store.close();
}
