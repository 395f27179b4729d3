import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The real `zart` executable (the bin shim, run from source through tsx). */
export const BIN = fileURLToPath(new URL("../bin/zart.js", import.meta.url));
export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const BASE_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  ZART_CLI_FROM_SOURCE: "1",
};

/** Runs `zart args…` in `cwd` and resolves with its exit code and output (never rejects). */
export function zart(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd, env: { ...BASE_ENV, ...options.env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A fresh temporary directory, removed by the returned `cleanup`. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "zart-cli-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A running `zart serve`. */
export interface Served {
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  child: ChildProcess;
}

/** Starts `zart serve args…` and resolves once it printed its URL. */
export function serve(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Served> {
  const child = spawn(process.execPath, [BIN, "serve", ...args], {
    cwd: options.cwd,
    env: { ...BASE_ENV, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /serving (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) {
        resolve({
          url: match[1],
          stdout: () => stdout,
          stderr: () => stderr,
          child,
          stop: () => {
            if (child.exitCode === null) child.kill("SIGTERM");
            return exited;
          },
        });
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    void exited.then((code) => reject(new Error(`zart serve exited (${code}) before listening: ${stderr}`)));
  });
}

/** The one line a usage or failure error must be: no stack trace. */
export function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split("\n");
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got:\n${stderr}`);
  if (/^\s+at |\(\S+:\d+:\d+\)/m.test(stderr)) throw new Error(`stack trace on stderr:\n${stderr}`);
  return lines[0] ?? "";
}
