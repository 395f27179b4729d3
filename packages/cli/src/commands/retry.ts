import { toWireExecution } from "@zart/server/wire";
import { Command } from "commander";
import { out, printJson, stdoutColors } from "../output.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

/** `zart retry <execution_id>`: a failed or cancelled execution runs again from its first unfinished step. */
export function retryCommand(): Command {
  const command = new Command("retry")
    .description("run a failed or cancelled execution again from its first unfinished step")
    .argument("<execution_id>", "the execution");
  dbOption(command);
  jsonOption(command);
  return command.action(async (executionId: string, flags: DbOptions & { json?: boolean }) => {
    const status = await withClient(flags, { mustExist: true }, async (durable) => {
      await durable.retry(executionId);
      return durable.status(executionId);
    });
    if (flags.json) return printJson(toWireExecution(status));
    const c = stdoutColors();
    out(`Retrying ${c.bold(executionId)}: it runs again from its first unfinished step.`);
  });
}
