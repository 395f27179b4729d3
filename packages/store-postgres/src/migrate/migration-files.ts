import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

/** One migration as drizzle-kit generated it (for the reference schema `zart`). */
export interface MigrationFile {
  /** Position in the journal (0, 1, …): the migration's id. */
  id: number;
  /** File name without `.sql`, e.g. `0000_init`. */
  tag: string;
  /** sha256 of the file, recorded when applied. */
  hash: string;
  /** The statements, split at drizzle-kit's `--> statement-breakpoint` markers. */
  statements: string[];
}

/** The schema name the SQL files were generated for. */
export const REFERENCE_SCHEMA = "zart";

/** The shipped `drizzle/` folder: next to `src/` in the repository and next to `dist/` when published. */
const FOLDER = new URL("../../drizzle/", import.meta.url);

let cached: Promise<MigrationFile[]> | undefined;

/** The shipped migrations in journal order (read once per process). */
export function loadMigrationFiles(): Promise<MigrationFile[]> {
  cached ??= readMigrationFiles().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function readMigrationFiles(): Promise<MigrationFile[]> {
  const journal = JSON.parse(await readFile(new URL("meta/_journal.json", FOLDER), "utf8")) as {
    entries: { idx: number; tag: string }[];
  };
  const files = await Promise.all(
    journal.entries.map(async ({ idx, tag }) => {
      const text = await readFile(new URL(`${tag}.sql`, FOLDER), "utf8");
      return {
        id: idx,
        tag,
        hash: createHash("sha256").update(text).digest("hex"),
        statements: text
          .split("--> statement-breakpoint")
          .map((part) => part.trim())
          .filter((part) => part.length > 0),
      };
    }),
  );
  return files.sort((a, b) => a.id - b.id);
}

/**
 * A generated statement rewritten for `schema`: drizzle-kit quotes every identifier, so the
 * reference schema only ever appears as `"zart"` and is replaced as a whole quoted identifier.
 * `CREATE SCHEMA` statements are dropped: the migrator creates the schema itself, under its lock.
 */
export function forSchema(sql: string, schema: string): string | undefined {
  if (/^CREATE SCHEMA\b/i.test(sql)) return undefined;
  return sql.replaceAll(`"${REFERENCE_SCHEMA}"`, `"${schema}"`);
}
