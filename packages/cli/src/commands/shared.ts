import { DurableScheduler, type Scheduler, type TaskDefinition, TaskRegistry } from "@zart/core";
import type { Command } from "commander";
import { loadTaskModules } from "../load-tasks.js";
import { type OpenStoreOptions, openStore } from "../open-store.js";
import { databaseUrl } from "../store-url.js";

/** Options every store-backed command has. */
export interface DbOptions {
  db?: string;
}

/** Adds `--db <url>` to a command. */
export function dbOption(command: Command): Command {
  return command.option(
    "--db <url>",
    "store: sqlite:./zart.db, postgres://…, redis://… or memory: (default: $ZART_DATABASE_URL or sqlite:./zart.db)",
  );
}

/** Adds `--json` to a command. */
export function jsonOption(command: Command): Command {
  return command.option("--json", "print JSON (snake_case, as the HTTP API answers) instead of tables");
}

/** Opens the store named by `--db`, runs `fn` with a client over it, and closes the store. */
export async function withClient<T>(
  options: DbOptions & { tasks?: string[] },
  storeOptions: OpenStoreOptions,
  fn: (durable: DurableScheduler, scheduler: Scheduler, label: string) => Promise<T>,
): Promise<T> {
  const registry = options.tasks?.length ? registryOf(await loadTaskModules(options.tasks)) : undefined;
  const { scheduler, label } = await openStore(databaseUrl(options.db), storeOptions);
  try {
    return await fn(new DurableScheduler(scheduler, registry ? { registry } : {}), scheduler, label);
  } finally {
    await scheduler.close();
  }
}

/** A registry holding `tasks`. */
export function registryOf(tasks: readonly TaskDefinition[]): TaskRegistry {
  const registry = new TaskRegistry();
  for (const task of tasks) registry.register(task);
  return registry;
}
