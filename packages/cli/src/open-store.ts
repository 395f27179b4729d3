import { type Scheduler, ValidationError } from "@zart/core";
import { CommandFailed, UsageError } from "./cli-error.js";
import { findStoreLoader, type StoreLookup } from "./store-registry.js";
import { parseDatabaseUrl, redact } from "./store-url.js";

/** An opened store. */
export interface OpenedStore {
  scheduler: Scheduler;
  /** The URL's scheme, e.g. `"sqlite"`. */
  scheme: string;
  /** The URL with its password hidden, for messages. */
  label: string;
}

export interface OpenStoreOptions {
  /**
   * For commands that only read or change existing executions: storage that does not exist (a
   * SQLite file) is an error instead of a new empty database.
   */
  mustExist?: boolean;
  /** Create or upgrade the schema: always when true; by default only for embedded stores (SQLite, memory). */
  migrate?: boolean;
  /** Where stores are looked up; default: the known stores and `ZART_STORE_MODULES`. */
  lookup?: StoreLookup;
}

/**
 * Opens the store a database URL names, found by the URL's scheme. Store packages are imported
 * lazily, so a store that is not installed only breaks the URLs that need it.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<OpenedStore> {
  const parsed = parseDatabaseUrl(url);
  const label = redact(url);
  const loader = await findStoreLoader(parsed.scheme, options.lookup);
  const scheduler = await asUsageError(async () => {
    if (options.mustExist && loader.exists && !(await loader.exists(parsed.url))) {
      throw new CommandFailed(
        `No database at ${label}. Start \`zart serve\` or run \`zart migrate\` there first, or pass --db.`,
      );
    }
    return loader.open(parsed.url);
  });
  try {
    if (options.migrate ?? loader.embedded ?? false) await scheduler.migrate();
  } catch (error) {
    await scheduler.close().catch(() => undefined);
    throw error;
  }
  return { scheduler, scheme: parsed.scheme, label };
}

/** A URL the loader refuses is a wrong command line (exit 2), like an unknown scheme. */
async function asUsageError<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(error.message);
    throw error;
  }
}
