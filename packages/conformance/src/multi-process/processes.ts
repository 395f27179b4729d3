import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

/** A worker process of the suite. */
export interface WorkerProcess {
  id: string;
  child: ChildProcess;
  /** True once it printed `ready` (it polls). */
  ready: boolean;
  /** True once the suite SIGKILLed it. */
  killed: boolean;
  /** Everything it printed on stderr so far. */
  stderr(): string;
  /** Resolves once it exited. */
  exited: Promise<unknown>;
}

/** The worker script next to this file (TypeScript when the suite runs from its sources). */
const SCRIPT = new URL(import.meta.url.endsWith(".ts") ? "./worker.ts" : "./worker.js", import.meta.url);

/** What a worker process runs: see `worker.ts`. */
export interface WorkerArgs {
  opener: URL;
  config: string;
  ledger: string;
  stepMs: number;
  leaseMs: number;
  concurrency: number;
}

/** Spawns a worker process (`node --import tsx --conditions=source`) from the current directory. */
export function spawnWorker(id: string, args: WorkerArgs): WorkerProcess {
  const { opener, config, ledger, stepMs, leaseMs, concurrency } = args;
  const argv = [opener.href, config, ledger, id, String(stepMs), String(leaseMs), String(concurrency)];
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=source", fileURLToPath(SCRIPT), ...argv],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let err = "";
  const proc: WorkerProcess = {
    id,
    child,
    ready: false,
    killed: false,
    stderr: () => err,
    exited: once(child, "exit"),
  };
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    if (chunk.includes("ready")) proc.ready = true;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  return proc;
}

/** True while the process runs. */
export function running(proc: WorkerProcess): boolean {
  return proc.child.exitCode === null && proc.child.signalCode === null;
}

/** Stops a process with `signal` (if it still runs) and waits for it to exit. */
export async function stop(proc: WorkerProcess, signal: NodeJS.Signals): Promise<void> {
  if (!running(proc)) return;
  if (signal === "SIGKILL") proc.killed = true;
  proc.child.kill(signal);
  await proc.exited;
}
