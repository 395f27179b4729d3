import tab from "@bomb.sh/tab/commander";
import { Command } from "commander";
import { bulkCommand } from "./commands/bulk.js";
import { cancelCommand } from "./commands/cancel.js";
import { eventCommand } from "./commands/event.js";
import { listCommand } from "./commands/list.js";
import { migrateCommand } from "./commands/migrate.js";
import { pauseCommand, resumeCommand } from "./commands/pause.js";
import { pauseRulesCommand } from "./commands/pause-rules.js";
import { purgeCommand } from "./commands/purge.js";
import { queuesCommand } from "./commands/queues.js";
import { rerunCommand } from "./commands/rerun.js";
import { retryCommand } from "./commands/retry.js";
import { runsCommand } from "./commands/runs.js";
import { scheduleCommand } from "./commands/schedule.js";
import { serveCommand } from "./commands/serve.js";
import { startCommand } from "./commands/start.js";
import { statusCommand } from "./commands/status.js";
import { waitCommand } from "./commands/wait.js";
import { workersCommand } from "./commands/workers.js";
import { VERSION } from "./version.js";

/** The `zart` command line, with every sub-command. Errors are thrown, never `process.exit`. */
export function createProgram(): Command {
  const program = new Command("zart")
    .description("Zart: durable executions. Serve the worker and HTTP API, or inspect and signal executions.")
    .version(VERSION, "-V, --version")
    // Root options only before the command, so `zart list --version <v>` is list's own option.
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .addHelpText(
      "after",
      "\nThe store is chosen by --db or ZART_DATABASE_URL (default sqlite:./zart.db).\n" +
        "Exit codes: 0 ok, 1 the command failed, 2 bad usage.",
    );
  for (const command of [
    serveCommand(),
    startCommand(),
    eventCommand(),
    statusCommand(),
    runsCommand(),
    workersCommand(),
    queuesCommand(),
    listCommand(),
    cancelCommand(),
    bulkCommand(),
    retryCommand(),
    rerunCommand(),
    pauseCommand(),
    resumeCommand(),
    pauseRulesCommand(),
    waitCommand(),
    purgeCommand(),
    scheduleCommand(),
    migrateCommand(),
  ]) {
    program.addCommand(command);
  }
  // `zart completion bash|zsh|fish|powershell` prints a script; the shell then asks the hidden
  // `zart complete -- <words>` for suggestions, drawn from the commands and options above.
  tab(program, { completionCommandName: "completion" });
  program.commands
    .find((command) => command.name() === "completion")
    ?.description(
      'print a shell completion script: eval "$(zart completion bash)" (or zsh, fish, powershell)',
    );
  return program;
}
