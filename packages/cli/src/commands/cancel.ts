import { Command } from "commander";
import { out, printJson, stdoutColors } from "../output.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

/** `zart cancel <execution_id>`. */
export function cancelCommand(): Command {
  const command = new Command("cancel")
    .description("cancel an execution (and its parallel steps)")
    .argument("<execution_id>", "the execution");
  dbOption(command);
  jsonOption(command);
  return command.action(async (executionId: string, flags: DbOptions & { json?: boolean }) => {
    const cancelled = await withClient(flags, { mustExist: true }, (durable) => durable.cancel(executionId));
    if (flags.json) return printJson({ cancelled });
    const c = stdoutColors();
    out(
      cancelled
        ? `Cancelled ${c.bold(executionId)}.`
        : `${c.bold(executionId)} had already finished; nothing to cancel.`,
    );
  });
}
