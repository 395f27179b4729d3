import { ZartError } from "@zart/core";
import { type Command, CommanderError } from "commander";
import { CommandFailed, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from "./cli-error.js";
import { err } from "./output.js";
import { createProgram } from "./program.js";

/**
 * Runs `zart` with `args` (without `node` and the script) and resolves with the exit code: 0 ok,
 * 1 the command failed, 2 bad usage. Every error is reported as one line on stderr; a stack trace
 * only with `ZART_DEBUG=1`.
 */
export async function runCli(args: readonly string[], program: Command = createProgram()): Promise<number> {
  exitOverrideAll(program);
  try {
    await program.parseAsync([...args], { from: "user" });
    return EXIT_OK;
  } catch (error) {
    return report(error);
  }
}

function report(error: unknown): number {
  if (process.env.ZART_DEBUG === "1" && error instanceof Error) err(error.stack);
  if (error instanceof CommanderError) {
    // Commander already printed its one line (or the help / the version).
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT_OK;
    return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof UsageError) {
    err(`error: ${error.message}`);
    return EXIT_USAGE;
  }
  if (error instanceof CommandFailed) {
    if (error.message) err(`error: ${error.message}`);
    return EXIT_FAILURE;
  }
  if (error instanceof ZartError) {
    if (error.code === "INSECURE_BIND") {
      err(`error: ${error.message}`);
      return EXIT_USAGE;
    }
    err(`error: ${error.message} [${error.code}]`);
    return EXIT_FAILURE;
  }
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  err(`error: ${message}`);
  return EXIT_FAILURE;
}

function exitOverrideAll(command: Command): void {
  command.exitOverride();
  command.configureOutput({
    // One line: commander puts its "(Did you mean …?)" suggestion on a line of its own.
    outputError: (text, write) => write(`${text.trim().replace(/\s*\n\s*/g, " ")}\n`),
  });
  for (const sub of command.commands) exitOverrideAll(sub);
}
