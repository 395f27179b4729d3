import type { Database } from "../db/database.js";
import { forSchema, loadMigrationFiles } from "./migration-files.js";

/**
 * Applies the shipped drizzle-kit migrations that the schema has not applied yet.
 *
 * Concurrency: everything runs in ONE transaction that first takes
 * `pg_advisory_xact_lock(hashtext('zart.migrate'), hashtext(schema))`, so any number of processes
 * may call it at once: one applies the migrations, the others wait for its commit, then find them
 * recorded and do nothing. The lock is per schema (different schemas migrate in parallel) and is
 * released by the commit or rollback, even if the process dies. The schema and the bookkeeping
 * table `zart_migrations` are created under the lock, because `CREATE … IF NOT EXISTS` is not
 * safe against a concurrent creation. DDL is transactional in PostgreSQL: a failed migration
 * leaves nothing behind.
 */
export async function migrate(db: Database, now: Date): Promise<string[]> {
  const files = await loadMigrationFiles();
  const { names } = db;
  return db.transaction(async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('zart.migrate'), hashtext($1))", [
      names.schema,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${names.quoted}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${names.migrations} (
        id integer PRIMARY KEY,
        tag text NOT NULL,
        hash text NOT NULL,
        applied_at timestamptz NOT NULL
      )`,
    );
    const applied = await client.query<{ id: number }>(`SELECT id FROM ${names.migrations}`);
    const done = new Set(applied.rows.map((row) => row.id));
    const newlyApplied: string[] = [];
    for (const file of files) {
      if (done.has(file.id)) continue;
      for (const sql of file.statements) {
        const text = forSchema(sql, names.schema);
        if (text !== undefined) await client.query(text);
      }
      await client.query(
        `INSERT INTO ${names.migrations} (id, tag, hash, applied_at) VALUES ($1, $2, $3, $4)`,
        [file.id, file.tag, file.hash, now],
      );
      newlyApplied.push(file.tag);
    }
    return newlyApplied;
  });
}
