import { EXECUTION_STATUSES, type ExecutionStatus } from "@zart/core";
import { toWireExecution } from "@zart/server/wire";
import { Command } from "commander";
import { formatList } from "../format-status.js";
import { out, printJson, stdoutColors } from "../output.js";
import { parseDateArg, parseNonNegativeInt, parsePositiveInt, parseStatus } from "../parse-args.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

interface ListFlags extends DbOptions {
  status?: ExecutionStatus;
  task?: string;
  parent?: string;
  version?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  queue?: string;
  limit: number;
  cursor?: string;
  offset: number;
  json?: boolean;
}

/**
 * `zart list [--status] [--task] [--parent] [--version] [--queue] [--created-after]
 * [--created-before] [--limit] [--cursor] [--offset] [--json]`.
 */
export function listCommand(): Command {
  const command = new Command("list")
    .description("list executions, newest first")
    .option("--status <status>", `only this status (${EXECUTION_STATUSES.join(", ")})`, parseStatus)
    .option("--task <name>", "only this task")
    .option("--parent <execution_id>", "only the child executions of this execution")
    .option("--version <version>", "only executions started on this task version")
    .option(
      "--created-after <date>",
      "only executions created at or after this ISO-8601 date-time",
      parseDateArg,
    )
    .option("--created-before <date>", "only executions created before this ISO-8601 date-time", parseDateArg)
    .option("--queue <name>", "only executions of this queue (defineQueue name)")
    .option("--limit <n>", "at most this many (1–1000)", parsePositiveInt, 20)
    .option("--cursor <cursor>", "the next page: the cursor the previous page printed")
    .option("--offset <n>", "deprecated, use --cursor: skip this many", parseNonNegativeInt, 0);
  dbOption(command);
  jsonOption(command);
  return command.action(async (flags: ListFlags) => {
    const page = await withClient(flags, { mustExist: true }, (durable) =>
      durable.listExecutionsPage({
        limit: flags.limit,
        offset: flags.offset,
        ...(flags.cursor !== undefined ? { cursor: flags.cursor } : {}),
        ...(flags.createdAfter ? { createdAfter: flags.createdAfter } : {}),
        ...(flags.createdBefore ? { createdBefore: flags.createdBefore } : {}),
        ...(flags.status ? { status: flags.status } : {}),
        ...(flags.task ? { taskName: flags.task } : {}),
        ...(flags.parent !== undefined ? { parentId: flags.parent } : {}),
        ...(flags.version !== undefined ? { version: flags.version } : {}),
        ...(flags.queue !== undefined ? { queue: flags.queue } : {}),
      }),
    );
    const wire = page.executions.map(toWireExecution);
    const next = page.nextCursor;
    if (flags.json) {
      printJson({
        executions: wire,
        limit: flags.limit,
        offset: flags.offset,
        ...(next ? { next_cursor: next } : {}),
      });
    } else {
      const c = stdoutColors();
      out(formatList(wire, c));
      if (next) out(c.dim(`More: add --cursor ${next}`));
    }
  });
}
