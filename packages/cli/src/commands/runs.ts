import { toWireRun } from "@zart/server/wire";
import { Command } from "commander";
import { out, printJson, stdoutColors } from "../output.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

/** `zart runs <execution_id> [--json]`: the runs of an id, newest first. */
export function runsCommand(): Command {
  const command = new Command("runs")
    .description("list the runs of an execution id, newest first (read one with `zart status <id> --run N`)")
    .argument("<execution_id>", "the execution");
  dbOption(command);
  jsonOption(command);
  return command.action(async (executionId: string, flags: DbOptions & { json?: boolean }) => {
    const runs = await withClient(flags, { mustExist: true }, (durable) => durable.listRuns(executionId));
    const wire = runs.map(toWireRun);
    if (flags.json) return printJson({ runs: wire });
    const c = stdoutColors();
    out(
      wire
        .map(
          (r) =>
            `${c.bold(`run ${r.run}`)}  ${r.status}  ${r.task}  ${r.created_at}  ${r.completed_at ?? "-"}`,
        )
        .join("\n"),
    );
  });
}
