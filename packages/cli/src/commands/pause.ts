import { toWireExecution } from "@zart/server/wire";
import { Command } from "commander";
import { UsageError } from "../cli-error.js";
import { out, printJson, stdoutColors } from "../output.js";
import { createPauseRule, type PauseRuleFlags, pauseRuleOptions } from "./pause-rules.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

/**
 * `zart pause <execution_id>`: not claimed until resumed; a running one stops at its next
 * checkpoint. `zart pause --task X [--step Y] [--for 1h]`: a pause rule (see `zart pause-rules`).
 */
export function pauseCommand(): Command {
  const command = new Command("pause")
    .description(
      "pause an execution: it is not claimed until `zart resume` (a running one stops at its next checkpoint); " +
        "with --task, pause every execution of a task (a pause rule)",
    )
    .argument("[execution_id]", "the execution");
  pauseRuleOptions(command);
  dbOption(command);
  jsonOption(command);
  type Flags = DbOptions & PauseRuleFlags & { json?: boolean };
  return command.action(async (executionId: string | undefined, flags: Flags) => {
    if (executionId === undefined) return createPauseRule(flags);
    if (flags.task !== undefined || flags.step !== undefined || flags.for !== undefined) {
      throw new UsageError("Give an execution id or --task, not both.");
    }
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
