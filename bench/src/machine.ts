import { execFile } from "node:child_process";
import { cpus, loadavg, release, totalmem, type } from "node:os";
import { fileURLToPath } from "node:url";
import { errorText } from "./harness/limit.js";
import { postgresVersion, redisVersion } from "./harness/services.js";

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
  postgres: string;
  redis: string;
  /** The commit measured, and the workspace paths with uncommitted changes at the start. */
  code: string;
  /** 1-minute load average when the run started and ended. */
  loadStart: number;
  loadEnd?: number;
}

export async function describeMachine(): Promise<Machine> {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? "unknown",
    cores: cpu.length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    postgres: await postgresVersion().catch((e: unknown) => `unreachable (${errorText(e)})`),
    redis: await redisVersion().catch((e: unknown) => `unreachable (${errorText(e)})`),
    code: await codeState(),
    loadStart: round2(loadavg()[0] ?? 0),
  };
}

/** `commit abc1234` plus the package directories with uncommitted changes, if any. */
async function codeState(): Promise<string> {
  const git = (...args: string[]) =>
    new Promise<string>((resolve) =>
      execFile("git", args, { cwd: fileURLToPath(new URL("..", import.meta.url)) }, (error, stdout) =>
        resolve(error ? "" : stdout.trim()),
      ),
    );
  const head = await git("rev-parse", "--short", "HEAD");
  if (!head) return "unknown (not a git checkout)";
  const dirty = new Set(
    (await git("status", "--porcelain", "--", "../packages"))
      .split("\n")
      .map((line) => /packages\/[^/]+/.exec(line)?.[0])
      .filter((dir): dir is string => dir !== undefined),
  );
  return `commit ${head}${dirty.size ? `, with uncommitted changes in ${[...dirty].join(", ")}` : ""}`;
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
