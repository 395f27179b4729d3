import type { Clock } from "../clock.js";
import { ValidationError } from "../errors.js";
import type { Scheduler } from "./scheduler.js";

/** What a tool passes when it opens a store from a URL. */
export interface StoreOpenOptions {
  /** The clock the engine reads `now` from. Default: the system clock. */
  clock?: Clock;
}

/**
 * How a tool (the `zart` CLI, a server) opens a store from a database URL. A store package exports
 * one as `storeLoader`; the CLI picks it by the URL's scheme, so a third-party store works with
 * `zart serve --db mystore://…`.
 */
export interface StoreLoader {
  /** The schemes this store opens, lower-case and without the colon, e.g. `["postgres", "postgresql"]`. */
  readonly schemes: readonly string[];
  /**
   * The storage lives in the process or in a local file, so tools create its schema without being
   * asked (servers' schemas are created only by `zart migrate` / `zart serve`). Default `false`.
   */
  readonly embedded?: boolean;
  /**
   * Returns a new store over the storage `url` names, without migrating it. Throws
   * `ValidationError` for a URL it cannot use.
   */
  open(url: string, options?: StoreOpenOptions): Scheduler | Promise<Scheduler>;
  /**
   * Whether the storage `url` names exists already (e.g. an embedded store's file), so that
   * read-only commands don't create an empty one. Absent: the tool cannot tell and just opens.
   */
  exists?(url: string): boolean | Promise<boolean>;
}

/** Removes the query parameter `name` from `url` and returns its value (for `?schema=`, `?prefix=`). */
export function takeUrlParam(url: string, name: string): { url: string; value?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(`The database URL "${redactUrl(url)}" is not a valid URL.`);
  }
  const value = parsed.searchParams.get(name);
  if (value === null) return { url };
  parsed.searchParams.delete(name);
  return { url: parsed.toString(), value };
}

/** The URL with any password replaced by `***`, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, "$1***@");
}
