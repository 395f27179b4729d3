import { Command } from "commander";
import { out, printJson, stdoutColors } from "../output.js";
import { parseJsonArg } from "../parse-args.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

interface EventFlags extends DbOptions {
  data?: unknown;
  idempotencyKey?: string;
  json?: boolean;
}

/** `zart event <execution_id> <event_name> --data '{…}' [--idempotency-key]`. */
export function eventCommand(): Command {
  const command = new Command("event")
    .description("deliver an event to an execution's mailbox (wakes it if it waits for it)")
    .argument("<execution_id>", "the execution")
    .argument("<event_name>", "the event name the execution waits for")
    .option("--data <json>", "the event's payload, as JSON (default: null)", parseJsonArg)
    .option("--idempotency-key <key>", "a re-sent delivery with the same key is a no-op (duplicate)");
  dbOption(command);
  jsonOption(command);
  return command.action(async (executionId: string, eventName: string, flags: EventFlags) => {
    const { status } = await withClient(flags, { mustExist: true }, (durable) =>
      durable.offerEvent(
        executionId,
        eventName,
        flags.data ?? null,
        flags.idempotencyKey === undefined ? {} : { idempotencyKey: flags.idempotencyKey },
      ),
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
