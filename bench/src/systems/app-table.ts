/**
 * W9's application table: the row each execution writes (`tx-write`, `step-write` in ../tasks.ts),
 * in the system's own database (Postgres) or file (SQLite), so its commits are counted with the
 * system's. Created by the harness once per prepared run; each worker opens its own connection.
 */
import Database from "better-sqlite3";
import pg from "pg";
import type { SystemEnv } from "./types.js";

const TABLE = "bench_app_rows";
const INSERT_PG = `INSERT INTO ${TABLE} (id) VALUES ($1)`;
const INSERT_SQLITE = `INSERT INTO ${TABLE} (id) VALUES (?)`;

export interface AppTable {
  /** Inserts row `id` through `tx`, the open transaction a transactional step hands its body. */
  insertIn(tx: unknown, id: string): Promise<void>;
  /** Inserts row `id` through the application's own connection, in a transaction of its own. */
  insert(id: string): Promise<void>;
  close(): Promise<void>;
}

/** Runs `fn` on a short-lived connection to the env's database or file. */
async function withDatabase<T>(
  env: SystemEnv,
  onPg: (client: pg.Client) => Promise<T>,
  onSqlite: (db: Database.Database) => T,
): Promise<T> {
  if (env.pgUrl) {
    const client = new pg.Client({ connectionString: env.pgUrl });
    await client.connect();
    try {
      return await onPg(client);
    } finally {
      await client.end();
    }
  }
  if (!env.path) throw new Error(`${env.system} has no database for the application table`);
  const db = new Database(env.path);
  try {
    return onSqlite(db);
  } finally {
    db.close();
  }
}

export function createAppTable(env: SystemEnv): Promise<void> {
  const ddl = `CREATE TABLE ${TABLE} (id text PRIMARY KEY)`;
  return withDatabase(
    env,
    async (client) => void (await client.query(ddl)),
    (db) => void db.exec(ddl),
  );
}

export function countAppRows(env: SystemEnv): Promise<number> {
  const query = `SELECT count(*) AS n FROM ${TABLE}`;
  return withDatabase(
    env,
    async (client) => Number((await client.query<{ n: string }>(query)).rows[0]?.n ?? 0),
    (db) => (db.prepare(query).get() as { n: number }).n,
  );
}

export function openAppTable(env: SystemEnv): AppTable {
  if (env.pgUrl) {
    const pool = new pg.Pool({ connectionString: env.pgUrl, max: 10 });
    return {
      insertIn: async (tx, id) => void (await (tx as pg.ClientBase).query(INSERT_PG, [id])),
      insert: async (id) => void (await pool.query(INSERT_PG, [id])),
      close: () => pool.end(),
    };
  }
  if (!env.path) throw new Error(`${env.system} has no database for the application table`);
  const db = new Database(env.path);
  // The store's connection may hold the write lock; wait for it as the store does.
  db.pragma("busy_timeout = 5000");
  const insert = db.prepare(INSERT_SQLITE);
  return {
    insertIn: async (tx, id) => void (tx as Database.Database).prepare(INSERT_SQLITE).run(id),
    insert: async (id) => void insert.run(id),
    close: async () => void db.close(),
  };
}
