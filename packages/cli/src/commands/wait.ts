import { setTimeout as sleep } from "node:timers/promises";
import { type DurableExecutionStatus, isTerminal } from "@zart/core";
import { toWireExecution } from "@zart/server/wire";
import { Command } from "commander";
import { CommandFailed } from "../cli-error.js";
import { durationOption } from "../duration-option.js";
import { formatStatus } from "../format-status.js";
import { err, out, printJson, stdoutColors } from "../output.js";
import { Progress } from "../progress.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

interface WaitFlags extends DbOptions {
  timeout: number;
  json?: boolean;
}

/** How often `zart wait` reads the status. */
const POLL_MS = 250;

/**
 * `zart wait <execution_id> [--timeout 5m]`: waits until the execution finishes, showing progress
 * on stderr when it is a TTY. Exit 0 when it completed; 1 when it failed, was cancelled, or the
 * timeout passed (the execution keeps running).
 */
export function waitCommand(): Command {
  const command = new Command("wait")
    .description("wait until an execution finishes, then show it (exit 1 unless it completed)")
    .argument("<execution_id>", "the execution")
    .addOption(
      durationOption("--timeout <duration>", "give up after this long (the execution keeps running)", "5m"),
    );
  dbOption(command);
  jsonOption(command);
  return command.action(async (executionId: string, flags: WaitFlags) => {
    const progress = new Progress();
    const { status, timedOut } = await withClient(flags, { mustExist: true }, async (durable) => {
      const deadline = performance.now() + flags.timeout;
      progress.start(`waiting for ${executionId}`);
      try {
        for (;;) {
          const current: DurableExecutionStatus = await durable.status(executionId);
          if (isTerminal(current.status)) return { status: current, timedOut: false };
          const left = deadline - performance.now();
          if (left <= 0) return { status: current, timedOut: true };
          progress.update(`waiting for ${executionId}: ${describe(current)}`);
          await sleep(Math.min(POLL_MS, left));
        }
      } finally {
        progress.stop();
      }
    });
    const wire = toWireExecution(status);
    if (flags.json) printJson(wire);
    else out(formatStatus(wire, stdoutColors()));
    if (timedOut) {
      err(`error: ${executionId} is still ${status.status} after the --timeout; it keeps running.`);
      throw new CommandFailed("");
    }
    if (status.status === "failed") {
      throw new CommandFailed(`${executionId} failed: ${status.error?.message ?? "unknown error"}`);
    }
    if (status.status === "cancelled") throw new CommandFailed(`${executionId} was cancelled.`);
  });
}

function describe(status: DurableExecutionStatus): string {
  const active = status.steps.findLast((s) => !isTerminal(s.status));
  const done = status.steps.filter((s) => s.status === "completed").length;
  const where = active ? `, at ${active.kind} "${active.name}"` : "";
  return `${status.status}${where} (${done} step${done === 1 ? "" : "s"} done)`;
}
