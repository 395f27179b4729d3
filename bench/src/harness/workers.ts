/**
 * Starts a run's workers: `count` child processes (`worker-main.ts`), or one worker inside this
 * process for in-process systems. Marks go to the collector; a crashed worker fails it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { PreparedWorker, SystemAdapter, SystemEnv } from "../systems/types.js";
import { now } from "../tasks.js";
import type { Collector } from "./collector.js";
import { errorText, withTimeout } from "./limit.js";
import type { FromWorker, ToWorker, WorkerSpec } from "./protocol.js";

const WORKER_MAIN = fileURLToPath(new URL("../worker-main.ts", import.meta.url));
const BENCH_DIR = fileURLToPath(new URL("../..", import.meta.url));
/** Extra Node flags for worker processes, e.g. `BENCH_WORKER_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof"`. */
const EXTRA_FLAGS = (process.env.BENCH_WORKER_FLAGS ?? "").split(" ").filter(Boolean);

export interface WorkerGroup {
  /** The worker processes' ids; empty when the worker runs in this process. */
  readonly pids: readonly number[];
  /** Lets every worker take work; resolves when all have started. */
  go(): Promise<void>;
  /** Stops gracefully (kills after a grace period). Harmless twice. */
  stop(): Promise<void>;
}

export interface LaunchOptions {
  count: number;
  concurrency: number;
  inProcess: boolean;
  verbose: boolean;
}

export async function launchWorkers(
  adapter: SystemAdapter,
  env: SystemEnv,
  options: LaunchOptions,
  collector: Collector,
): Promise<WorkerGroup> {
  if (options.inProcess) {
    const worker = await adapter.startWorker(env, {
      concurrency: options.concurrency,
      index: 0,
      report: (kind, id, v) =>
        collector.add(v === undefined ? { kind, id, t: now() } : { kind, id, t: now(), v }),
    });
    return inProcessGroup(worker);
  }
  const children = Array.from({ length: options.count }, (_, index) =>
    spawnWorker({ system: adapter.name, env, concurrency: options.concurrency, index }, collector, options),
  );
  try {
    await withTimeout(
      Promise.all(children.map((c) => c.ready)),
      60_000,
      "worker processes did not get ready within 60 s",
    );
  } catch (error) {
    await Promise.all(children.map((c) => c.stop()));
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    pids: children.map((c) => c.pid),
    go: async () => {
      await Promise.all(children.map((c) => c.go()));
    },
    stop: () => {
      stopping ??= Promise.all(children.map((c) => c.stop())).then(() => undefined);
      return stopping;
    },
  };
}

function inProcessGroup(worker: PreparedWorker): WorkerGroup {
  let stopping: Promise<void> | undefined;
  return {
    pids: [],
    go: () => worker.go(),
    stop: () => {
      stopping ??= withTimeout(worker.stop(), 15_000, "in-process worker did not stop").catch(
        () => undefined,
      );
      return stopping;
    },
  };
}

interface Child {
  pid: number;
  ready: Promise<void>;
  go(): Promise<void>;
  stop(): Promise<void>;
}

function spawnWorker(spec: WorkerSpec, collector: Collector, options: LaunchOptions): Child {
  const proc: ChildProcess = spawn(
    process.execPath,
    [...EXTRA_FLAGS, "--import", "tsx", "--conditions=source", WORKER_MAIN, JSON.stringify(spec)],
    { cwd: BENCH_DIR, stdio: ["ignore", "pipe", "pipe", "ipc"] },
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
    if (options.verbose) process.stderr.write(`[${spec.system}#${spec.index}] ${chunk}`);
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);

  const waiters = new Map<string, Array<() => void>>();
  const when = (t: string) =>
    new Promise<void>((resolve) => waiters.set(t, [...(waiters.get(t) ?? []), resolve]));
  let exited = false;
  let stopping = false;
  const exit = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const died = new Promise<never>((_, reject) => {
    proc.once("exit", (code, signal) => {
      exited = true;
      const error = new Error(
        `worker process ${spec.index} exited (${signal ?? code})${output ? `: ${lastLines(output)}` : ""}`,
      );
      if (!stopping) collector.fail(error);
      reject(error);
    });
  });
  died.catch(() => undefined);
  proc.on("message", (message: FromWorker) => {
    if (message.t === "marks") {
      for (const [kind, id, t, v] of message.m)
        collector.add(v === undefined ? { kind, id, t } : { kind, id, t, v });
    } else if (message.t === "error") {
      output = `${output}\n${message.message}`.slice(-4000);
    } else {
      for (const resolve of waiters.get(message.t) ?? []) resolve();
      waiters.delete(message.t);
    }
  });
  const post = (message: ToWorker) => {
    if (proc.connected) proc.send(message);
  };
  const ready = Promise.race([when("ready"), died]);
  return {
    pid: proc.pid ?? 0,
    ready,
    go: async () => {
      const started = when("started");
      post({ t: "go" });
      await Promise.race([started, died]);
    },
    stop: async () => {
      if (exited) return;
      stopping = true;
      post({ t: "stop" });
      const graceful = await Promise.race([exit.then(() => true), sleepFalse(15_000)]);
      if (!graceful) {
        proc.kill("SIGKILL");
        await exit;
      }
    },
  };
}

function sleepFalse(ms: number): Promise<false> {
  return new Promise((resolve) => setTimeout(() => resolve(false), ms).unref());
}

function lastLines(text: string): string {
  return errorText(text.trim().split("\n").slice(-6).join(" | "));
}
