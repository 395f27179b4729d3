import { randomBytes } from "node:crypto";
import pg from "pg";
import { type EmbeddedServer, startEmbeddedPostgres } from "./embedded-postgres.js";

/** Where a test file's tables live: a server URL and a schema of its own. */
export interface TestDatabase {
  url: string;
  /** A fresh schema name for this file (not created yet: `migrate()` creates it). */
  schema: string;
  /** A small admin pool for assertions and cleanup. */
  admin: pg.Pool;
  /** Drops every schema made by `newSchema()`, closes the admin pool, stops an embedded server. */
  dispose(): Promise<void>;
  /** Another fresh schema name, dropped by `dispose()`. */
  newSchema(prefix?: string): string;
}

/**
 * The server tests run against: `ZART_TEST_POSTGRES_URL` when set (CI points it at the local
 * server), else a server provided by the package's vitest globalSetup (`inject`), else an
 * embedded PostgreSQL started for this file alone. Each file works in schemas of its own.
 */
export async function useTestDatabase(tag: string, providedUrl?: string): Promise<TestDatabase> {
  let embedded: EmbeddedServer | undefined;
  let url = process.env.ZART_TEST_POSTGRES_URL || providedUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres();
    url = embedded.url;
  }
  const admin = new pg.Pool({ connectionString: url, max: 4 });
  admin.on("error", () => {});
  const schemas: string[] = [];
  const newSchema = (prefix = tag) => {
    const name = `t_${prefix}_${randomBytes(4).toString("hex")}`;
    schemas.push(name);
    return name;
  };
  return {
    url,
    schema: newSchema(),
    admin,
    newSchema,
    async dispose() {
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
      await embedded?.destroy();
    },
  };
}

/** Empties the Zart tables of `schema` (if they exist yet). */
export async function truncate(admin: pg.Pool, schema: string): Promise<void> {
  await admin.query(
    `DO $$ BEGIN
       IF to_regclass('"${schema}".executions') IS NOT NULL THEN
         TRUNCATE "${schema}".executions, "${schema}".steps, "${schema}".events;
       END IF;
       IF to_regclass('"${schema}".schedules') IS NOT NULL THEN
         TRUNCATE "${schema}".schedules;
       END IF;
       IF to_regclass('"${schema}".runs') IS NOT NULL THEN
         TRUNCATE "${schema}".runs;
       END IF;
       IF to_regclass('"${schema}".workers') IS NOT NULL THEN
         TRUNCATE "${schema}".workers;
       END IF;
       IF to_regclass('"${schema}".debounces') IS NOT NULL THEN
         TRUNCATE "${schema}".debounces;
       END IF;
       IF to_regclass('"${schema}".pause_rules') IS NOT NULL THEN
         TRUNCATE "${schema}".pause_rules;
       END IF;
       IF to_regclass('"${schema}".rate_windows') IS NOT NULL THEN
         TRUNCATE "${schema}".rate_windows;
       END IF;
     END $$`,
  );
}
