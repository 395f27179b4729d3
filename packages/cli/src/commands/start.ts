import { randomUUID } from "node:crypto";
import type { StartOptions } from "@zart/core";
import { toWireExecution } from "@zart/server/wire";
import { Command } from "commander";
import { UsageError } from "../cli-error.js";
import { err, out, printJson, stdoutColors } from "../output.js";
import { parseDateArg, parseDurationArg, parseJsonArg } from "../parse-args.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";
import { startFromFile } from "./start-from-file.js";

interface StartFlags extends DbOptions {
  data?: unknown;
  id?: string;
  runAt?: Date;
  delay?: number;
  tasks?: string[];
  /** `--no-check`: false silences the warning that nothing is checked without `--tasks`. */
  check: boolean;
  json?: boolean;
  fromFile?: string;
  debounceKey?: string;
  debouncePeriod?: number;
  debounceTimeout?: number;
}

/** `zart start <task> --data '{…}' [--id] [--run-at|--delay|--debounce-key --debounce-period] [--tasks]`, or `[task] --from-file <file>`. */
export function startCommand(): Command {
  const command = new Command("start")
    .description("start an execution of a task")
    .argument("[task]", "task name (with --from-file: for the items that name none)")
    .option("--data <json>", "the task's input, as JSON (default: null)", parseJsonArg)
    .option("--id <execution_id>", "execution id, the idempotency key (default: <task>-<random>)")
    .option("--run-at <date>", "start at this ISO-8601 time instead of now", parseDateArg)
    .option("--delay <duration>", "start after this delay (e.g. 10m)", parseDurationArg)
    .option(
      "--tasks <file...>",
      "task modules: reject unknown task names and validate --data before starting",
    )
    .option("--debounce-key <key>", "collapse starts of the task with this key into one execution")
    .option(
      "--debounce-period <duration>",
      "with --debounce-key: run this long after the last start",
      parseDurationArg,
    )
    .option(
      "--debounce-timeout <duration>",
      "with --debounce-key: run at most this long after the first start",
      parseDurationArg,
    )
    .option("--no-check", "without --tasks: start unchecked without the warning")
    .option(
      "--from-file <file>",
      "start many: a .json array of items, or JSON Lines; each {task_name?, execution_id?, data?, run_at?}",
    );
  dbOption(command);
  jsonOption(command);
  return command.action(async (task: string | undefined, flags: StartFlags) => {
    if (!flags.tasks?.length && flags.check) {
      const unchecked =
        flags.fromFile === undefined
          ? `neither the task name "${task}" nor --data is`
          : "neither the task names nor the inputs are";
      err(
        `warning: without --tasks, ${unchecked} checked; ` +
          "an unknown task waits, pending, for a worker that registers it (--no-check silences this)",
      );
    }
    if (flags.fromFile !== undefined) {
      if (
        flags.data !== undefined ||
        flags.id ||
        flags.runAt ||
        flags.delay !== undefined ||
        flags.debounceKey !== undefined
      ) {
        throw new UsageError(
          "--from-file takes no --data, --id, --run-at, --delay or --debounce-*: each item carries its own.",
        );
      }
      return startFromFile(flags.fromFile, task, flags);
    }
    if (task === undefined) throw new UsageError("Name the task to start, or give --from-file.");
    const executionId = flags.id ?? `${task}-${randomUUID().slice(0, 8)}`;
    const options: StartOptions = { ...timingOf(flags), ...debounceOf(flags) };
    const status = await withClient(flags, {}, async (durable) => {
      const started = await durable.start(executionId, task, flags.data ?? null, options);
      return durable.status(started.executionId);
    });
    if (flags.json) return printJson(toWireExecution(status));
    const c = stdoutColors();
    const id = status.executionId;
    out(
      id === executionId
        ? `Started ${c.bold(task)} as ${c.bold(id)} (${status.status}).`
        : `Debounced into ${c.bold(id)}, an earlier start of ${c.bold(task)} (${status.status}).`,
    );
    out(c.dim(`  zart status ${id}    zart wait ${id}`));
  });
}

function timingOf(flags: StartFlags): StartOptions {
  if (flags.runAt) return { runAt: flags.runAt };
  return flags.delay === undefined ? {} : { delay: flags.delay };
}

/** `--debounce-*` as `StartOptions.debounce` (the core refuses it beside --run-at or --delay). */
function debounceOf(flags: StartFlags): StartOptions {
  const { debounceKey: key, debouncePeriod: period, debounceTimeout: timeout } = flags;
  if (key === undefined) {
    if (period !== undefined || timeout !== undefined) {
      throw new UsageError("--debounce-period and --debounce-timeout need --debounce-key.");
    }
    return {};
  }
  if (period === undefined) throw new UsageError("--debounce-key needs --debounce-period (e.g. 5s).");
  return { debounce: timeout === undefined ? { key, period } : { key, period, timeout } };
}
