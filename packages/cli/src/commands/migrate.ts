import { Command } from "commander";
import { out, printJson } from "../output.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

/** `zart migrate`: creates or upgrades the store's schema (safe to run again, and concurrently). */
export function migrateCommand(): Command {
  const command = new Command("migrate").description("create or upgrade the store's schema");
  dbOption(command);
  jsonOption(command);
  return command.action(async (flags: DbOptions & { json?: boolean }) => {
    const { label, applied } = await withClient(
      flags,
      { migrate: false },
      async (_durable, scheduler, label) => ({
        label,
        applied: await scheduler.migrate(),
      }),
    );
    if (flags.json) printJson({ migrated: true, db: label, applied });
    else if (applied.length === 0) out(`The schema of ${label} is up to date; nothing to apply.`);
    else out(`Applied to ${label}: ${applied.join(", ")}. The schema is up to date.`);
  });
}
