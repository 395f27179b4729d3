import { toWireQueue } from "@zart/server/wire";
import { Command } from "commander";
import { fitTable, terminalWidth } from "../fit-table.js";
import { out, printJson, stdoutColors } from "../output.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

/**
 * `zart queues [--tasks <file...>] [--json]`: running, due and delayed executions per queue (or
 * task) and key. The store keeps keys, not limits: `--tasks` loads the task modules to show them.
 */
export function queuesCommand(): Command {
  const command = new Command("queues").description(
    "show running, due and delayed executions per queue or task and key (limits with --tasks)",
  );
  dbOption(command);
  command.option("--tasks <file...>", "task modules, to show each queue's or task's concurrency limit");
  jsonOption(command);
  return command.action(async (flags: DbOptions & { tasks?: string[]; json?: boolean }) => {
    const queues = (await withClient(flags, { mustExist: true }, (durable) => durable.queueStats())).map(
      toWireQueue,
    );
    if (flags.json) return printJson({ queues });
    const c = stdoutColors();
    if (queues.length === 0) return out("No running, due or delayed executions.");
    const head = ["Queue / task", "Key", "Limit", "Running", "Due", "Delayed"];
    const rows = queues.map((q) => {
      const full = q.limit !== undefined && q.running >= q.limit;
      return [
        q.queue === undefined ? `task ${q.task}` : `queue ${q.queue}`,
        q.key ?? "",
        q.limit === undefined ? "-" : String(q.limit),
        full ? c.yellow(String(q.running)) : String(q.running),
        String(q.due),
        String(q.delayed),
      ];
    });
    out(
      fitTable(
        head.map((h) => c.bold(h)),
        rows,
        terminalWidth(),
      ),
    );
  });
}
