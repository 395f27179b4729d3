import { toWireWorker } from "@zart/server/wire";
import { Command } from "commander";
import { fitTable, terminalWidth } from "../fit-table.js";
import { out, printJson, stdoutColors, when } from "../output.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

/** `zart workers [--json]`: the registered workers; one silent for longer than its lease is gone. */
export function workersCommand(): Command {
  const command = new Command("workers").description(
    "list the registered workers (host, pid, tasks, last heartbeat); `gone` = no heartbeat for a lease duration",
  );
  dbOption(command);
  jsonOption(command);
  return command.action(async (flags: DbOptions & { json?: boolean }) => {
    const workers = (await withClient(flags, { mustExist: true }, (durable) => durable.listWorkers())).map(
      toWireWorker,
    );
    if (flags.json) return printJson({ workers });
    const c = stdoutColors();
    if (workers.length === 0) return out("No workers registered.");
    const head = ["Worker", "Host", "PID", "Tasks", "Concurrency", "Started", "Last heartbeat", "State"];
    const rows = workers.map((w) => [
      w.worker_id,
      w.host,
      String(w.pid),
      w.tasks.join(", "),
      String(w.concurrency),
      when(w.started_at),
      when(w.last_heartbeat_at),
      w.state === "gone" ? c.red(w.state) : c.green(w.state),
    ]);
    out(
      fitTable(
        head.map((h) => c.bold(h)),
        rows,
        terminalWidth(),
      ),
    );
  });
}
