import { toWireExecution } from "@zart/server/wire";
import { Command } from "commander";
import { formatStatus } from "../format-status.js";
import { out, printJson, stdoutColors } from "../output.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

/** `zart status <execution_id> [--json]`. */
export function statusCommand(): Command {
  const command = new Command("status")
    .description("show an execution's status, steps and mailbox")
    .argument("<execution_id>", "the execution");
  dbOption(command);
  jsonOption(command);
  return command.action(async (executionId: string, flags: DbOptions & { json?: boolean }) => {
    const status = await withClient(flags, { mustExist: true }, (durable) => durable.status(executionId));
    const wire = toWireExecution(status);
    if (flags.json) printJson(wire);
    else out(formatStatus(wire, stdoutColors()));
  });
}
