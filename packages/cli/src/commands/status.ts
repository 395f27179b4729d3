import { toWireExecution } from "@zart/server/wire";
import { Command } from "commander";
import { formatStatus } from "../format-status.js";
import { out, printJson, stdoutColors } from "../output.js";
import { parsePositiveInt } from "../parse-args.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

/** `zart status <execution_id> [--run N] [--tasks <file...>] [--json]`. */
export function statusCommand(): Command {
  const command = new Command("status")
    .description("show an execution's status, steps and mailbox")
    .argument("<execution_id>", "the execution")
    .option("--run <n>", "an earlier run of the id (list them with `zart runs <id>`)", parsePositiveInt)
    .option(
      "--tasks <file...>",
      "task modules: lets a pending execution's reason name its concurrency limit",
    );
  dbOption(command);
  jsonOption(command);
  return command.action(
    async (executionId: string, flags: DbOptions & { json?: boolean; run?: number; tasks?: string[] }) => {
      const options = flags.run === undefined ? {} : { run: flags.run };
      const status = await withClient(flags, { mustExist: true }, (durable) =>
        durable.status(executionId, options),
      );
      const wire = toWireExecution(status);
      if (flags.json) printJson(wire);
      else out(formatStatus(wire, stdoutColors()));
    },
  );
}
