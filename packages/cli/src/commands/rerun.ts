import { toWireExecution } from "@zart/server/wire";
import { Command } from "commander";
import { out, printJson, stdoutColors } from "../output.js";
import { parseJsonArg } from "../parse-args.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

interface RerunFlags extends DbOptions {
  fromStep: string;
  newId?: string;
  data?: unknown;
  tasks?: string[];
  json?: boolean;
}

/** `zart rerun <execution_id> --from-step <name> [--new-id] [--data]`: a new execution from a step. */
export function rerunCommand(): Command {
  const command = new Command("rerun")
    .description("start a new execution that reruns this one from a step (the steps before it are kept)")
    .argument("<execution_id>", "the execution to rerun (left untouched)")
    .requiredOption("--from-step <name>", "the step to run again, as `zart status` names it (e.g. charge#1)")
    .option("--new-id <execution_id>", "the new execution's id (default: a random UUID)")
    .option("--data <json>", "a new input, as JSON (default: the original's)", parseJsonArg)
    .option("--tasks <file...>", "task modules: validate --data with the task's schema");
  dbOption(command);
  jsonOption(command);
  return command.action(async (executionId: string, flags: RerunFlags) => {
    const status = await withClient(flags, { mustExist: true }, async (durable) => {
      const created = await durable.rerun(executionId, {
        fromStep: flags.fromStep,
        ...(flags.newId !== undefined ? { newId: flags.newId } : {}),
        ...(flags.data !== undefined ? { data: flags.data } : {}),
      });
      return durable.status(created.executionId);
    });
    if (flags.json) return printJson(toWireExecution(status));
    const c = stdoutColors();
    out(
      `Rerunning ${c.bold(executionId)} from step ${c.bold(flags.fromStep)} as ${c.bold(status.executionId)}.`,
    );
    out(c.dim(`  zart status ${status.executionId}    zart wait ${status.executionId}`));
  });
}
