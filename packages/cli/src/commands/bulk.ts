import {
  BULK_ACTIONS,
  type BulkAction,
  type BulkResult,
  EXECUTION_STATUSES,
  type ExecutionStatus,
} from "@zart/core";
import { Argument, Command } from "commander";
import { out, printJson, stdoutColors } from "../output.js";
import { parseDateArg, parseStatus } from "../parse-args.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

interface BulkFlags extends DbOptions {
  status?: ExecutionStatus;
  task?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  dryRun?: boolean;
  json?: boolean;
}

/** `zart bulk <cancel|retry|pause|resume> [--status] [--task] [--created-after] [--created-before] [--dry-run]`. */
export function bulkCommand(): Command {
  const command = new Command("bulk")
    .description("cancel, retry, pause or resume every execution a filter selects (try --dry-run first)")
    .addArgument(new Argument("<action>", "what to do to each execution").choices(BULK_ACTIONS))
    .option("--status <status>", `only this status (${EXECUTION_STATUSES.join(", ")})`, parseStatus)
    .option("--task <name>", "only this task")
    .option(
      "--created-after <date>",
      "only executions created at or after this ISO-8601 date-time",
      parseDateArg,
    )
    .option("--created-before <date>", "only executions created before this ISO-8601 date-time", parseDateArg)
    .option("--dry-run", "count what would change; change nothing");
  dbOption(command);
  jsonOption(command);
  return command.action(async (action: BulkAction, flags: BulkFlags) => {
    const result = await withClient(flags, { mustExist: true }, (durable) =>
      durable.bulk(
        action,
        {
          ...(flags.status ? { status: flags.status } : {}),
          ...(flags.task !== undefined ? { taskName: flags.task } : {}),
          ...(flags.createdAfter ? { createdAfter: flags.createdAfter } : {}),
          ...(flags.createdBefore ? { createdBefore: flags.createdBefore } : {}),
        },
        { dryRun: flags.dryRun === true },
      ),
    );
    if (flags.json) {
      const { matched, changed, skipped, skippedReasons } = result;
      return printJson({
        matched,
        changed,
        skipped,
        skipped_reasons: skippedReasons,
        dry_run: flags.dryRun === true,
      });
    }
    out(summary(action, result, flags.dryRun === true));
  });
}

function summary(action: BulkAction, result: BulkResult, dryRun: boolean): string {
  const c = stdoutColors();
  const head = dryRun
    ? `Dry run: ${result.matched} matched; ${action} would change ${c.bold(String(result.changed))}.`
    : `${result.matched} matched; ${action} changed ${c.bold(String(result.changed))}.`;
  const reasons = Object.entries(result.skippedReasons).map(([reason, n]) => `  skipped ${n}: ${reason}`);
  return [head, ...reasons].join("\n");
}
