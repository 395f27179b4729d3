import { existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { DurableScheduler, type Scheduler } from "@zart/core";
import { alive, spawnNode, stopAll, untilReady } from "./processes.js";
import { SKEW_TASK, type SkewInput, type SkewWorkerConfig } from "./skew-config.js";

const SCRIPT = fileURLToPath(new URL("./skew-worker.ts", import.meta.url));

export interface SkewRunOptions {
  /** A migrated store in this process (its own clock: `timeSource: "database"`). */
  scheduler: Scheduler;
  /** Each worker process's config, less `ledger`. */
  workers: Omit<SkewWorkerConfig, "ledger">[];
  ledger: string;
  executions: number;
  /** Starts are spread over this long, so timers are not drowned by a backlog. */
  spreadMs: number;
}

export interface SkewRunReport {
  /** Runs of each step body, by `<execution>/<step>`. */
  runs: Map<string, number>;
  /** Units each worker process ran. */
  byWorker: Map<string, number>;
  /** `lost` / `crashed` attempt outcomes (a lost lease, an engine bug). */
  lost: string[];
  /** Store time at wake-up minus the stored wake time, ms, per sleep. */
  lateness: number[];
  completedAfterMs: number;
}

/**
 * Runs `executions` sleepers on worker processes with skewed clocks; resolves once all completed
 * (or throws when a worker died or nothing moved for a minute), after stopping the workers.
 */
export async function clockSkewRun(options: SkewRunOptions): Promise<SkewRunReport> {
  const procs = options.workers.map((config) =>
    spawnNode([SCRIPT, JSON.stringify({ ...config, ledger: options.ledger })]),
  );
  try {
    await untilReady(procs);
    const startedAt = performance.now();
    const durable = new DurableScheduler(options.scheduler);
    const items = Array.from({ length: options.executions }, (_, i) => ({
      executionId: `k${String(i).padStart(5, "0")}`,
      taskName: SKEW_TASK,
      data: {
        workMs: 50 + Math.floor(Math.random() * 250),
        sleepMs: 2_000 + Math.floor(Math.random() * 3_000),
      } satisfies SkewInput,
      options: { delay: Math.floor((i / options.executions) * options.spreadMs) },
    }));
    for (let i = 0; i < items.length; i += 1_000) await durable.startMany(items.slice(i, i + 1_000));
    let done = 0;
    let movedAt = performance.now();
    while (done < options.executions) {
      await sleep(500);
      const dead = procs.find((proc) => !alive(proc));
      if (dead) throw new Error(`a worker exited:\n${dead.stderr}`);
      const now = (
        await options.scheduler.listExecutions({ status: "completed", limit: options.executions, offset: 0 })
      ).length;
      if (now > done) movedAt = performance.now();
      done = now;
      if (performance.now() - movedAt > 60_000) throw new Error(`stuck at ${done} of ${options.executions}`);
    }
    const completedAfterMs = Math.round(performance.now() - startedAt);
    await stopAll(procs);
    return { ...readSkewLedger(options.ledger), completedAfterMs };
  } finally {
    for (const proc of procs) if (alive(proc)) proc.child.kill("SIGKILL");
  }
}

/** What the ledger file says (see `skew-worker.ts` for its lines). */
function readSkewLedger(path: string): Omit<SkewRunReport, "completedAfterMs"> {
  const runs = new Map<string, number>();
  const byWorker = new Map<string, number>();
  const lost: string[] = [];
  const wakeAt = new Map<string, number>();
  const woke = new Map<string, number>();
  const lines = existsSync(path) ? readFileSync(path, "utf8").split("\n") : [];
  for (const text of lines) {
    const [kind, id = "", a = "", b = ""] = text.split(" ");
    if (kind === "ran") {
      runs.set(`${id}/${a}`, (runs.get(`${id}/${a}`) ?? 0) + 1);
      byWorker.set(b, (byWorker.get(b) ?? 0) + 1);
    } else if (kind === "lost" || kind === "crashed") lost.push(text);
    else if (kind === "suspend") wakeAt.set(id, Number(a));
    else if (kind === "woke") woke.set(id, Number(a));
  }
  const lateness = [...woke].map(([id, at]) => at - (wakeAt.get(id) ?? Number.NaN));
  return { runs, byWorker, lost, lateness };
}
