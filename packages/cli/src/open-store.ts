import { existsSync } from "node:fs";
import type { Scheduler } from "@zart/core";
import { CommandFailed } from "./cli-error.js";
import { parseDatabaseUrl, redact, type StoreSpec } from "./store-url.js";

/** An opened store. */
export interface OpenedStore {
  scheduler: Scheduler;
  spec: StoreSpec;
  /** The URL with its password hidden, for messages. */
  label: string;
}

export interface OpenStoreOptions {
  /**
   * For commands that only read or change existing executions: a SQLite file that does not exist
   * is an error instead of a new empty database.
   */
  mustExist?: boolean;
  /** Create or upgrade the schema: always when true; by default only for SQLite and memory. */
  migrate?: boolean;
}

type SchedulerClass<O> = new (options: O) => Scheduler;

/**
 * Opens the store a database URL names. Store packages are imported lazily, so a store that is not
 * installed (or fails to load) only breaks the URLs that need it.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<OpenedStore> {
  const spec = parseDatabaseUrl(url);
  const label = redact(url);
  if (spec.kind === "sqlite" && options.mustExist && spec.path !== ":memory:" && !existsSync(spec.path)) {
    throw new CommandFailed(
      `No database at ${spec.path}. Start \`zart serve\` or run \`zart migrate\` there first, or pass --db.`,
    );
  }
  const scheduler = await construct(spec);
  const embedded = spec.kind === "sqlite" || spec.kind === "memory";
  try {
    if (options.migrate ?? embedded) await scheduler.migrate();
  } catch (error) {
    await scheduler.close().catch(() => undefined);
    throw error;
  }
  return { scheduler, spec, label };
}

async function construct(spec: StoreSpec): Promise<Scheduler> {
  switch (spec.kind) {
    case "memory": {
      const MemoryScheduler = await load<object>("@zart/store-memory", "MemoryScheduler", "memory");
      return new MemoryScheduler({});
    }
    case "sqlite": {
      const SqliteScheduler = await load<{ path: string }>("@zart/store-sqlite", "SqliteScheduler", "SQLite");
      return new SqliteScheduler({ path: spec.path });
    }
    case "postgres": {
      const PostgresScheduler = await load<{ connectionString: string; schema?: string }>(
        "@zart/store-postgres",
        "PostgresScheduler",
        "PostgreSQL",
      );
      return new PostgresScheduler({
        connectionString: spec.connectionString,
        ...(spec.schema ? { schema: spec.schema } : {}),
      });
    }
    case "redis": {
      const RedisScheduler = await load<{ url: string; prefix?: string }>(
        "@zart/store-redis",
        "RedisScheduler",
        "Redis",
      );
      return new RedisScheduler({ url: spec.url, ...(spec.prefix ? { prefix: spec.prefix } : {}) });
    }
  }
}

/** Imports `specifier` (a variable, so a store that is absent breaks nothing else) and picks its class. */
async function load<O>(specifier: string, exportName: string, what: string): Promise<SchedulerClass<O>> {
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    const reason = (error as Error).message?.split("\n")[0] ?? String(error);
    throw new CommandFailed(`The ${what} store (${specifier}) could not be loaded: ${reason}`);
  }
  const found = module[exportName];
  if (typeof found !== "function") {
    throw new CommandFailed(`The ${what} store (${specifier}) does not export ${exportName}.`);
  }
  return found as SchedulerClass<O>;
}
