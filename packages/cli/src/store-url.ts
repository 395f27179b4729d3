import { UsageError } from "./cli-error.js";

/** The store used when neither `--db` nor `ZART_DATABASE_URL` says otherwise. */
export const DEFAULT_DATABASE_URL = "sqlite:./zart.db";

/** Which store a database URL names. */
export type StoreSpec =
  | { kind: "sqlite"; path: string }
  | { kind: "memory" }
  | { kind: "postgres"; connectionString: string }
  | { kind: "redis"; url: string };

/** `--db`, else `ZART_DATABASE_URL`, else `sqlite:./zart.db`. */
export function databaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? (env.ZART_DATABASE_URL || DEFAULT_DATABASE_URL);
}

/**
 * Parses a database URL: `sqlite:./zart.db`, `sqlite:///abs/path.db`, `sqlite::memory:`, a bare
 * file path (`./zart.db`), `postgres://…` / `postgresql://…`, `redis://…` / `rediss://…`, `memory:`.
 */
export function parseDatabaseUrl(url: string): StoreSpec {
  const text = url.trim();
  if (/^memory:(\/\/)?$/i.test(text)) return { kind: "memory" };
  if (/^postgres(ql)?:\/\//i.test(text)) return { kind: "postgres", connectionString: text };
  if (/^rediss?:\/\//i.test(text)) return { kind: "redis", url: text };
  const sqlite = /^(sqlite|file):(.*)$/i.exec(text);
  if (sqlite) {
    const rest = sqlite[2] ?? "";
    const path = rest.startsWith("//") ? rest.slice(2) : rest;
    if (path === "")
      throw new UsageError(`The database URL "${url}" names no file; use e.g. sqlite:./zart.db.`);
    return { kind: "sqlite", path };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text);
  if (text === "" || (scheme?.[1]?.length ?? 0) > 1) {
    throw new UsageError(
      `Unsupported database URL "${redact(url)}"; use sqlite:./zart.db, postgres://…, redis://… or memory:.`,
    );
  }
  return { kind: "sqlite", path: text };
}

/** The URL with any password replaced by `***`, for messages. */
export function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, "$1***@");
}
