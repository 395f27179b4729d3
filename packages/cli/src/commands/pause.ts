import { toWireExecution } from "@zart/server/wire";
import { Command } from "commander";
import { out, printJson, stdoutColors } from "../output.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

/** `zart pause <execution_id>`: not claimed until resumed; a running one stops at its next checkpoint. */
export function pauseCommand(): Command {
  const command = new Command("pause")
    .description(
      "pause an execution: it is not claimed until `zart resume` (a running one stops at its next checkpoint)",
    )
    .argument("<execution_id>", "the execution");
  dbOption(command);
  jsonOption(command);
  return command.action(async (executionId: string, flags: DbOptions & { json?: boolean }) => {
    const status = await withClient(flags, { mustExist: true }, async (durable) => {
      await durable.pause(executionId);
      return durable.status(executionId);
    });
    if (flags.json) return printJson(toWireExecution(status));
    out(`Paused ${stdoutColors().bold(executionId)}: resume it with zart resume ${executionId}.`);
  });
}

/** `zart resume <execution_id>`: a paused execution is due now. */
export function resumeCommand(): Command {
  const command = new Command("resume")
    .description("resume a paused execution: it is due now")
    .argument("<execution_id>", "the execution");
  dbOption(command);
  jsonOption(command);
  return command.action(async (executionId: string, flags: DbOptions & { json?: boolean }) => {
    const status = await withClient(flags, { mustExist: true }, async (durable) => {
      await durable.resume(executionId);
      return durable.status(executionId);
    });
    if (flags.json) return printJson(toWireExecution(status));
    out(`Resumed ${stdoutColors().bold(executionId)} (${status.status}).`);
  });
}
