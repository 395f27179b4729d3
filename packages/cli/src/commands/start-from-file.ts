import { type StartManyResult, ZartError } from "@zart/core";
import { CommandFailed } from "../cli-error.js";
import { out, printJson, stdoutColors } from "../output.js";
import { readStartItems } from "../start-items.js";
import { type DbOptions, withClient } from "./shared.js";

/** Items per `startMany` call (one store write each). */
const BATCH = 1000;

/**
 * `zart start [task] --from-file items.jsonl`: every item validated, then started with
 * `startMany`, a batch of 1000 per store write. Invalid items are listed and make the exit code
 * 1; the valid ones are started all the same.
 */
export async function startFromFile(
  path: string,
  task: string | undefined,
  flags: DbOptions & { tasks?: string[]; json?: boolean },
): Promise<void> {
  const items = await readStartItems(path, task);
  const results = await withClient(flags, {}, async (durable) => {
    const all: StartManyResult[] = [];
    for (let start = 0; start < items.length; start += BATCH) {
      all.push(...(await durable.startMany(items.slice(start, start + BATCH))));
    }
    return all;
  });
  const invalid = results.filter((r) => r.outcome === "invalid");
  if (flags.json) {
    printJson({ results: results.map(toWire) });
  } else {
    const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
    const c = stdoutColors();
    out(
      `Started ${c.bold(String(count("created")))} of ${results.length} from ${path} ` +
        `(${count("exists")} already running, ${invalid.length} invalid).`,
    );
    for (const r of invalid) out(`  ${c.red("invalid")} ${r.executionId}: ${r.error?.message ?? "invalid"}`);
  }
  if (invalid.length > 0) throw new CommandFailed(`${invalid.length} item(s) were invalid and not started.`);
}

function toWire({ executionId, outcome, error }: StartManyResult) {
  if (error === undefined) return { execution_id: executionId, outcome };
  const code = error instanceof ZartError ? error.code : "VALIDATION";
  return { execution_id: executionId, outcome, error: { code, message: error.message } };
}
