import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";

/** A child process of a fault test. */
export interface Proc {
  child: ChildProcess;
  /** True once it printed `ready`. */
  ready: boolean;
  stdout: string;
  stderr: string;
  exited: Promise<unknown>;
}

/** Spawns `node <args>` (TypeScript through tsx, workspace packages from their sources). */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv = process.env): Proc {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=source", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  const proc: Proc = { child, ready: false, stdout: "", stderr: "", exited: once(child, "exit") };
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    proc.stdout += chunk;
    if (chunk.includes("ready")) proc.ready = true;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    proc.stderr += chunk;
  });
  return proc;
}

/** True while the process runs. */
export function alive(proc: Proc): boolean {
  return proc.child.exitCode === null && proc.child.signalCode === null;
}

/** Waits until every process is ready; throws when one exits first or after `ms`. */
export async function untilReady(procs: Proc[], ms = 180_000): Promise<void> {
  const giveUp = performance.now() + ms;
  while (!procs.every((proc) => proc.ready)) {
    const dead = procs.find((proc) => !alive(proc));
    if (dead) throw new Error(`a process exited before it was ready:\n${dead.stderr}`);
    if (performance.now() > giveUp) throw new Error("the processes did not start");
    await sleep(100);
  }
}

/** SIGTERMs every process still running and waits for all to exit. */
export async function stopAll(procs: Proc[]): Promise<void> {
  for (const proc of procs) if (alive(proc)) proc.child.kill("SIGTERM");
  await Promise.all(procs.map((proc) => proc.exited));
}

/** The resident set size of process `pid` in MiB (Linux `/proc`), or undefined once it exited. */
export async function rssMiB(pid: number): Promise<number | undefined> {
  const { readFile } = await import("node:fs/promises");
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? undefined : Number(kb) / 1024;
}
