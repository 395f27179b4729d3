/** Exit codes: 0 ok, 1 the command failed, 2 the command line was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** The command line is wrong (bad flag value, bad JSON, bad URL): one line on stderr, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The command ran and did not succeed (already printed what it had to): exit 1. */
export class CommandFailed extends Error {
  override readonly name = "CommandFailed";
}
