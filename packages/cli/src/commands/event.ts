import { Command } from "commander";
import { UsageError } from "../cli-error.js";
import { out, printJson, stdoutColors } from "../output.js";
import { parseJsonArg } from "../parse-args.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

interface EventFlags extends DbOptions {
  data?: unknown;
  idempotencyKey?: string;
  startIfMissing?: string;
  startData?: unknown;
  tasks?: string[];
  json?: boolean;
}

/**
 * `zart event <execution_id> <event_name> --data '{…}' [--idempotency-key]
 * [--start-if-missing <task> --start-data '{…}' --tasks <file...>]`.
 */
export function eventCommand(): Command {
  const command = new Command("event")
    .description("deliver an event to an execution's mailbox (wakes it if it waits for it)")
    .argument("<execution_id>", "the execution")
    .argument("<event_name>", "the event name the execution waits for")
    .option("--data <json>", "the event's payload, as JSON (default: null)", parseJsonArg)
    .option("--idempotency-key <key>", "a re-sent delivery with the same key is a no-op (duplicate)")
    .option(
      "--start-if-missing <task>",
      "signal-with-start: start this task under <execution_id> if it does not exist (or is finished)",
    )
    .option(
      "--start-data <json>",
      "with --start-if-missing: the task's input, as JSON (default: null)",
      parseJsonArg,
    )
    .option("--tasks <file...>", "task modules: check --start-if-missing's task name and --start-data");
  dbOption(command);
  jsonOption(command);
  return command.action(async (executionId: string, eventName: string, flags: EventFlags) => {
    if (flags.startData !== undefined && flags.startIfMissing === undefined) {
      throw new UsageError("--start-data needs --start-if-missing <task>");
    }
    const { status } = await withClient(flags, { mustExist: true }, (durable) =>
      durable.offerEvent(executionId, eventName, flags.data ?? null, {
        ...(flags.idempotencyKey === undefined ? {} : { idempotencyKey: flags.idempotencyKey }),
        ...(flags.startIfMissing === undefined
          ? {}
          : { startIfMissing: { task: flags.startIfMissing, data: flags.startData ?? null } }),
      }),
    );
    if (flags.json) return printJson({ status, execution_id: executionId, event_name: eventName });
    const c = stdoutColors();
    out(
      status === "delivered"
        ? `Delivered ${c.bold(eventName)} to ${c.bold(executionId)}.`
        : `Duplicate: ${c.bold(eventName)} with key "${flags.idempotencyKey}" was already delivered to ${c.bold(executionId)}; nothing changed.`,
    );
  });
}
