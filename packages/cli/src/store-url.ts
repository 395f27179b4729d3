import { redactUrl } from "@zart/core/store";
import { UsageError } from "./cli-error.js";

/** The store used when neither `--db` nor `ZART_DATABASE_URL` says otherwise. */
export const DEFAULT_DATABASE_URL = "sqlite:./zart.db";

/** A database URL split for the store lookup. */
export interface DatabaseUrl {
  /** Lower-case, without the colon: picks the store (see `store-registry.ts`). */
  scheme: string;
  /** The URL the store's loader receives: a bare file path becomes `sqlite:<path>`. */
  url: string;
}

/** `--db`, else `ZART_DATABASE_URL`, else `sqlite:./zart.db`. */
export function databaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? (env.ZART_DATABASE_URL || DEFAULT_DATABASE_URL);
}

/**
 * Reads the scheme of a database URL. A text without a scheme (or with a one-letter one, a Windows
 * drive) is a SQLite file path, as `./zart.db` always was.
 */
export function parseDatabaseUrl(url: string): DatabaseUrl {
  const text = url.trim();
  if (text === "") throw new UsageError("The database URL is empty; use e.g. sqlite:./zart.db.");
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1];
  if (scheme === undefined || scheme.length === 1) return { scheme: "sqlite", url: `sqlite:${text}` };
  return { scheme: scheme.toLowerCase(), url: text };
}

/** The URL with any password replaced by `***`, for messages. */
export const redact = redactUrl;
