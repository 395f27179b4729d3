import { UsageError } from "./cli-error.js";

/** The store used when neither `--db` nor `ZART_DATABASE_URL` says otherwise. */
export const DEFAULT_DATABASE_URL = "sqlite:./zart.db";

/** Which store a database URL names. */
export type StoreSpec =
  | { kind: "sqlite"; path: string }
  | { kind: "memory" }
  | { kind: "postgres"; connectionString: string; schema?: string }
  | { kind: "redis"; url: string; prefix?: string };

/** `--db`, else `ZART_DATABASE_URL`, else `sqlite:./zart.db`. */
export function databaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? (env.ZART_DATABASE_URL || DEFAULT_DATABASE_URL);
}

/**
 * Parses a database URL: `sqlite:./zart.db`, `sqlite:///abs/path.db`, `sqlite::memory:`, a bare
 * file path (`./zart.db`), `postgres://…` / `postgresql://…` (`?schema=name` picks the schema,
 * default `zart`), `redis://…` / `rediss://…` (`?prefix=name:` picks the key prefix, default
 * `zart:`), `memory:`.
 */
export function parseDatabaseUrl(url: string): StoreSpec {
  const text = url.trim();
  if (/^memory:(\/\/)?$/i.test(text)) return { kind: "memory" };
  if (/^postgres(ql)?:\/\//i.test(text)) {
    const { url: connectionString, value: schema } = takeParam(text, "schema");
    return { kind: "postgres", connectionString, ...(schema ? { schema } : {}) };
  }
  if (/^rediss?:\/\//i.test(text)) {
    const { url: redisUrl, value: prefix } = takeParam(text, "prefix");
    return { kind: "redis", url: redisUrl, ...(prefix ? { prefix } : {}) };
  }
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

/** Removes the query parameter `name` from `url` and returns its value. */
function takeParam(url: string, name: string): { url: string; value?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`The database URL "${redact(url)}" is not a valid URL.`);
  }
  const value = parsed.searchParams.get(name);
  if (value === null) return { url };
  parsed.searchParams.delete(name);
  return { url: parsed.toString(), value };
}

/** The URL with any password replaced by `***`, for messages. */
export function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, "$1***@");
}
