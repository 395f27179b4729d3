import { runCli } from "./run.js";

/** The `zart` executable: runs the CLI and exits with its code. */
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// A store driver that keeps a socket or timer open must not keep a finished command alive.
setTimeout(() => process.exit(code), 2_000).unref();
