import { existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { DurableScheduler, type Scheduler } from "@zart/core";
import type pg from "pg";
import { OVERLOAD_TASKS } from "./overload-config.js";
import { alive, type Proc, rssMiB, spawnNode, stopAll, untilReady } from "./processes.js";

const WORKER = fileURLToPath(new URL("./overload-worker.ts", import.meta.url));
const CLI = fileURLToPath(new URL("../../../packages/cli/bin/zart.js", import.meta.url));

export interface OverloadRunOptions {
  /** A migrated store in this process. */
  scheduler: Scheduler;
  /** A client on the same database, for the progress and order queries. */
  admin: pg.Client;
  url: string;
  schema: string;
  ledger: string;
  executions: number;
  workers: number;
  concurrency: number;
}

export interface OverloadRunReport {
  /** Runs of the step body per execution (from the ledger). */
  runs: Map<string, number>;
  /** Step bodies each worker ran. */
  byWorker: Map<string, number>;
  /** Peak resident memory of each worker process, MiB. */
  peakRssMiB: number[];
  /** The RSS samples of all workers, MiB, in the first and the second half of the run. */
  rssHalves: [number, number];
  /** Latencies of `GET /api/v1/executions/{id}` while the workers ran, ms. */
  apiLatencies: number[];
  apiErrors: number;
  /** Task of each execution in completion order. */
  completionOrder: string[];
  createMs: number;
  drainMs: number;
}

/** Starts `zart serve` on the store (its own process): resolves with its URL. */
async function serve(url: string, schema: string): Promise<{ proc: Proc; base: string }> {
  const db = `${url}${url.includes("?") ? "&" : "?"}schema=${schema}`;
  const proc = spawnNode([CLI, "serve", "--db", db, "--port", "0", "--log-format", "json"], {
    ...process.env,
    ZART_API_TOKEN: "",
  });
  const giveUp = performance.now() + 120_000;
  for (;;) {
    const found = /"url":"(http:\/\/[^"]+)"/.exec(proc.stderr + proc.stdout)?.[1];
    if (found) return { proc, base: found };
    if (!alive(proc)) throw new Error(`zart serve exited:\n${proc.stderr}`);
    if (performance.now() > giveUp) throw new Error(`zart serve did not start:\n${proc.stderr}`);
    await sleep(100);
  }
}

/**
 * Creates `executions` due executions of three tasks, interleaved (`startMany`), then runs them on
 * `workers` worker processes while sampling each worker's RSS and timing the HTTP API of a
 * `zart serve` process; resolves once every execution completed.
 */
export async function overloadRun(options: OverloadRunOptions): Promise<OverloadRunReport> {
  const { admin, schema } = options;
  const durable = new DurableScheduler(options.scheduler);
  const ids = Array.from({ length: options.executions }, (_, i) => `o${String(i).padStart(6, "0")}`);
  const createdAt = performance.now();
  for (let i = 0; i < ids.length; i += 10_000) {
    await durable.startMany(
      ids.slice(i, i + 10_000).map((executionId, j) => ({
        executionId,
        taskName: OVERLOAD_TASKS[(i + j) % OVERLOAD_TASKS.length]!,
        data: i + j,
      })),
    );
  }
  const createMs = Math.round(performance.now() - createdAt);
  const { proc: server, base } = await serve(options.url, schema);
  const procs = Array.from({ length: options.workers }, (_, i) =>
    spawnNode([
      WORKER,
      JSON.stringify({
        url: options.url,
        schema,
        workerId: `w${i}`,
        ledger: options.ledger,
        concurrency: options.concurrency,
      }),
    ]),
  );
  const samples: { at: number; rss: number; worker: number }[] = [];
  const apiLatencies: number[] = [];
  let apiErrors = 0;
  try {
    await untilReady(procs);
    const drainStart = performance.now();
    let done = false;
    const probe = (async () => {
      while (!done) {
        const id = ids[Math.floor(Math.random() * ids.length)]!;
        const sent = performance.now();
        const response = await fetch(`${base}/api/v1/executions/${id}`).catch(() => undefined);
        if (response?.ok) apiLatencies.push(performance.now() - sent);
        else apiErrors++;
        await response?.arrayBuffer();
        await sleep(20);
      }
    })();
    let completed = 0;
    let movedAt = performance.now();
    while (completed < options.executions) {
      await sleep(500);
      for (const [worker, proc] of procs.entries()) {
        if (!alive(proc)) throw new Error(`worker w${worker} exited:\n${proc.stderr}`);
        const rss = await rssMiB(proc.child.pid!);
        if (rss !== undefined) samples.push({ at: performance.now(), rss, worker });
      }
      const { rows } = await admin.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${schema}.executions WHERE status = 'completed'`,
      );
      const now = Number(rows[0]!.n);
      if (now > completed) movedAt = performance.now();
      completed = now;
      if (performance.now() - movedAt > 60_000)
        throw new Error(`stuck at ${completed} of ${options.executions}`);
    }
    const drainEnd = performance.now();
    done = true;
    await probe;
    await stopAll([...procs, server]);
    const { rows } = await admin.query<{ task_name: string }>(
      `SELECT task_name FROM ${schema}.executions ORDER BY completed_at, execution_id`,
    );
    const middle = (drainStart + drainEnd) / 2;
    const peak = (list: number[]) => Math.round(Math.max(...list));
    return {
      ...readLedger(options.ledger),
      peakRssMiB: procs.map((_, worker) =>
        peak(samples.filter((s) => s.worker === worker).map((s) => s.rss)),
      ),
      rssHalves: [
        peak(samples.filter((s) => s.at < middle).map((s) => s.rss)),
        peak(samples.filter((s) => s.at >= middle).map((s) => s.rss)),
      ],
      apiLatencies,
      apiErrors,
      completionOrder: rows.map((row) => row.task_name),
      createMs,
      drainMs: Math.round(drainEnd - drainStart),
    };
  } finally {
    for (const proc of [...procs, server]) if (alive(proc)) proc.child.kill("SIGKILL");
  }
}

function readLedger(path: string): Pick<OverloadRunReport, "runs" | "byWorker"> {
  const runs = new Map<string, number>();
  const byWorker = new Map<string, number>();
  const lines = existsSync(path) ? readFileSync(path, "utf8").split("\n") : [];
  for (const line of lines) {
    const [kind, id = "", worker = ""] = line.split(" ");
    if (kind !== "ran") continue;
    runs.set(id, (runs.get(id) ?? 0) + 1);
    byWorker.set(worker, (byWorker.get(worker) ?? 0) + 1);
  }
  return { runs, byWorker };
}
