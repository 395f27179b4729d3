import type { ExecutionStatus } from "@zart/core";
import { Command } from "commander";
import { out, printJson } from "../output.js";
import { collectStatus, parseDurationArg } from "../parse-args.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

interface PurgeFlags extends DbOptions {
  olderThan: number;
  status?: ExecutionStatus[];
  json?: boolean;
}

/** `zart purge --older-than 30d [--status completed …]`. */
export function purgeCommand(): Command {
  const command = new Command("purge")
    .description("delete finished executions (with their steps and events) older than a duration")
    .requiredOption("--older-than <duration>", "finished at least this long ago (e.g. 30d)", parseDurationArg)
    .option(
      "--status <status>",
      "only this terminal status (repeatable; default: completed, failed, cancelled)",
      collectStatus,
    );
  dbOption(command);
  jsonOption(command);
  return command.action(async (flags: PurgeFlags) => {
    const purged = await withClient(flags, { mustExist: true }, (durable) =>
      durable.purge({ olderThan: flags.olderThan, ...(flags.status ? { statuses: flags.status } : {}) }),
    );
    if (flags.json) printJson({ purged });
    else out(`Purged ${purged} execution${purged === 1 ? "" : "s"}.`);
  });
}
