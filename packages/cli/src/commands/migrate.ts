import { Command } from "commander";
import { out, printJson } from "../output.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

/** `zart migrate`: creates or upgrades the store's schema (safe to run again, and concurrently). */
export function migrateCommand(): Command {
  const command = new Command("migrate").description("create or upgrade the store's schema");
  dbOption(command);
  jsonOption(command);
  return command.action(async (flags: DbOptions & { json?: boolean }) => {
    const label = await withClient(flags, { migrate: true }, async (_durable, _scheduler, label) => label);
    if (flags.json) printJson({ migrated: true, db: label });
    else out(`The schema of ${label} is up to date.`);
  });
}
