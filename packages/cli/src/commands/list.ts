import { EXECUTION_STATUSES, type ExecutionStatus } from "@zart/core";
import { toWireExecution } from "@zart/server/wire";
import { Command } from "commander";
import { formatList } from "../format-status.js";
import { out, printJson, stdoutColors } from "../output.js";
import { parseNonNegativeInt, parsePositiveInt, parseStatus } from "../parse-args.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

interface ListFlags extends DbOptions {
  status?: ExecutionStatus;
  task?: string;
  parent?: string;
  version?: string;
  queue?: string;
  limit: number;
  offset: number;
  json?: boolean;
}

/** `zart list [--status] [--task] [--parent] [--version] [--queue] [--limit] [--offset] [--json]`. */
export function listCommand(): Command {
  const command = new Command("list")
    .description("list executions, newest first")
    .option("--status <status>", `only this status (${EXECUTION_STATUSES.join(", ")})`, parseStatus)
    .option("--task <name>", "only this task")
    .option("--parent <execution_id>", "only the child executions of this execution")
    .option("--version <version>", "only executions started on this task version")
    .option("--queue <name>", "only executions of this queue (defineQueue name)")
    .option("--limit <n>", "at most this many (1–1000)", parsePositiveInt, 20)
    .option("--offset <n>", "skip this many", parseNonNegativeInt, 0);
  dbOption(command);
  jsonOption(command);
  return command.action(async (flags: ListFlags) => {
    const executions = await withClient(flags, { mustExist: true }, (durable) =>
      durable.listExecutions({
        limit: flags.limit,
        offset: flags.offset,
        ...(flags.status ? { status: flags.status } : {}),
        ...(flags.task ? { taskName: flags.task } : {}),
        ...(flags.parent !== undefined ? { parentId: flags.parent } : {}),
        ...(flags.version !== undefined ? { version: flags.version } : {}),
        ...(flags.queue !== undefined ? { queue: flags.queue } : {}),
      }),
    );
    const wire = executions.map(toWireExecution);
    if (flags.json) printJson({ executions: wire, limit: flags.limit, offset: flags.offset });
    else out(formatList(wire, stdoutColors()));
  });
}
