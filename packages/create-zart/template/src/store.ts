import type { Scheduler } from "@zart/core";

/** The store from the command line: `sqlite` (a file, the default) or `postgres` (ZART_DATABASE_URL). */
export async function openStore(kind = "sqlite"): Promise<Scheduler> {
  if (kind === "postgres") {
    const { PostgresScheduler } = await import("@zart/store-postgres");
    const url = process.env.ZART_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
    return new PostgresScheduler({ connectionString: url });
  }
  const { SqliteScheduler } = await import("@zart/store-sqlite");
  return new SqliteScheduler({ path: process.env.ZART_SQLITE_PATH ?? "./zart.db" });
}
