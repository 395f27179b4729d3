/**
 * WAL bytes one database wrote between two LSNs, from the WAL records themselves (`pg_walinspect`,
 * a contrib extension of PostgreSQL ≥ 15, installed in a database of its own): records touching the
 * database's blocks, plus the other records (commits) of the transactions that wrote them. Other
 * databases' writes on a shared server are left out, unlike a `pg_current_wal_lsn()` delta.
 */
import pg from "pg";
import { databaseUrl, PG_URL } from "./services.js";

const INSPECT_DATABASE = "bench_walinspect";

/** SQLSTATEs of "already there" when two runs create the database or extension at once. */
const ALREADY_EXISTS = new Set(["42P04", "42710", "23505"]);

export class WalReader {
  readonly #client: pg.Client;

  private constructor(client: pg.Client) {
    this.#client = client;
  }

  /** Connects, creating the inspection database and extension if needed; undefined when unavailable. */
  static async open(): Promise<WalReader | undefined> {
    const admin = new pg.Client({ connectionString: PG_URL });
    try {
      await admin.connect();
      const { rows } = await admin.query(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_walinspect'",
      );
      if (rows.length === 0) return undefined;
      await ignoreExisting(admin.query(`CREATE DATABASE ${INSPECT_DATABASE}`));
    } finally {
      await admin.end().catch(() => undefined);
    }
    const client = new pg.Client({ connectionString: databaseUrl(INSPECT_DATABASE) });
    await client.connect();
    try {
      await ignoreExisting(client.query("CREATE EXTENSION IF NOT EXISTS pg_walinspect"));
    } catch (error) {
      await client.end();
      throw error;
    }
    return new WalReader(client);
  }

  /** Bytes of the WAL records between `start` and `end` that belong to database `oid`. */
  async databaseBytes(oid: number, start: string, end: string): Promise<number> {
    const { rows } = await this.#client.query<{ bytes: string | null }>(
      `WITH r AS (
         SELECT xid, record_length, block_ref FROM pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn)
       ), ours AS (
         SELECT DISTINCT xid FROM r WHERE block_ref LIKE $3 AND xid <> '0'
       )
       SELECT sum(record_length)::text AS bytes FROM r
        WHERE block_ref LIKE $3 OR xid IN (SELECT xid FROM ours)`,
      [start, end, `%/${oid}/%`],
    );
    return Number(rows[0]?.bytes ?? 0);
  }

  async close(): Promise<void> {
    await this.#client.end().catch(() => undefined);
  }
}

async function ignoreExisting(query: Promise<unknown>): Promise<void> {
  try {
    await query;
  } catch (error) {
    if (!ALREADY_EXISTS.has((error as { code?: string }).code ?? "")) throw error;
  }
}
