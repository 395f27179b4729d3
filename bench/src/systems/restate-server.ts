/**
 * Runs the Restate server shipped by `@restatedev/restate-server` (a prebuilt binary in its
 * platform package): one node on loopback, on free ports, with its data in a fresh temp directory
 * that is removed when it stops.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { arch, platform, tmpdir } from "node:os";
import { join } from "node:path";
import { delay } from "../harness/limit.js";

const READY_TIMEOUT_MS = 60_000;

export interface RestateServer {
  /** Ingress (invocations) and admin (deployments) base URLs. */
  ingressUrl: string;
  adminUrl: string;
  pid: number;
  stop(): Promise<void>;
}

/** The server binary, resolved the way the package's own launcher does. */
function binaryPath(): string {
  const require = createRequire(import.meta.url);
  const fromServer = createRequire(require.resolve("@restatedev/restate-server/package.json"));
  return fromServer.resolve(`@restatedev/restate-server-${platform()}-${arch()}/bin/restate-server`);
}

/** A port free on loopback right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

/** Starts a server whose invoker runs at most `concurrency` invocations at once (server default 1000). */
export async function startRestateServer(concurrency: number): Promise<RestateServer> {
  const baseDir = await mkdtemp(join(tmpdir(), "zart-bench-restate-"));
  const [ingress, admin, fabric] = [await freePort(), await freePort(), await freePort()];
  let output = "";
  let proc: ChildProcess;
  try {
    proc = spawn(
      binaryPath(),
      [
        "--no-logo",
        "--listen-mode",
        "tcp",
        "--bind-ip",
        "127.0.0.1",
        "--base-dir",
        baseDir,
        "--node-name",
        "bench",
      ],
      {
        env: {
          ...process.env,
          RESTATE_INGRESS__BIND_PORT: String(ingress),
          RESTATE_ADMIN__BIND_PORT: String(admin),
          RESTATE_BIND_PORT: String(fabric),
          RESTATE_WORKER__INVOKER__CONCURRENT_INVOCATIONS_LIMIT: String(concurrency),
          RESTATE_DISABLE_TELEMETRY: "true",
          RESTATE_LOG_FILTER: "warn",
          RESTATE_LOG_DISABLE_ANSI_CODES: "true",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
  } catch (error) {
    await rm(baseDir, { recursive: true, force: true });
    throw error;
  }
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2000);
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  let exitCode: string | undefined;
  proc.once("error", (error) => {
    exitCode = error.message;
  });
  proc.once("exit", (code, signal) => {
    exitCode ??= String(signal ?? code);
  });
  const stop = async () => {
    if (exitCode === undefined) {
      proc.kill("SIGTERM");
      const graceful = await Promise.race([exited.then(() => true), delay(10_000).then(() => false)]);
      if (!graceful) proc.kill("SIGKILL");
      await exited;
    }
    await rm(baseDir, { recursive: true, force: true });
  };
  const server: RestateServer = {
    ingressUrl: `http://127.0.0.1:${ingress}`,
    adminUrl: `http://127.0.0.1:${admin}`,
    pid: proc.pid ?? 0,
    stop,
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await healthy(server))) {
    if (exitCode !== undefined || Date.now() > deadline) {
      await stop();
      throw new Error(
        `restate-server ${exitCode === undefined ? "not ready within 60 s" : `exited (${exitCode})`}: ${output.trim().split("\n").slice(-4).join(" | ")}`,
      );
    }
    await delay(100);
  }
  return server;
}

async function healthy(server: RestateServer): Promise<boolean> {
  try {
    const [admin, ingress] = await Promise.all([
      fetch(`${server.adminUrl}/health`),
      fetch(`${server.ingressUrl}/restate/health`),
    ]);
    return admin.ok && ingress.ok;
  } catch {
    return false;
  }
}
