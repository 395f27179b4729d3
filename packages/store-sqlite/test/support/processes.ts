import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));

/** A TypeScript script run in its own Node process, the way the tests need it. */
export interface ScriptProcess {
  child: ChildProcess;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  /** Everything it printed on stderr so far. */
  stderr(): string;
  /** Resolves once it printed `line` on stdout; rejects if it exits first. */
  waitFor(line: string): Promise<void>;
  /** Resolves with its exit code (or signal) once it exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `node --import tsx --conditions=source test/fixtures/<script> ...args` from this package. */
export function runScript(script: string, args: string[]): ScriptProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=source", `test/fixtures/${script}`, ...args],
    { cwd: PACKAGE_DIR, stdio: ["pipe", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    child.emit("zart-output");
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  const exited = once(child, "exit").then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const waitFor = (line: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (out.split("\n").includes(line)) {
          child.off("zart-output", check);
          resolve();
        }
      };
      child.on("zart-output", check);
      void exited.then(({ code, signal }) =>
        reject(new Error(`${script} exited (${code ?? signal}) before printing "${line}":\n${err}`)),
      );
      check();
    });
  return { child, stdout: () => out, stderr: () => err, waitFor, exited };
}

/** Stops a process that may still run (SIGKILL) and waits for it to exit. */
export async function stopScript(proc: ScriptProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill(signal);
  await proc.exited;
}
