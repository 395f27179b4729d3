import { setTimeout as sleep } from "node:timers/promises";
import {
  DurableScheduler,
  defineTask,
  LeaseLostError,
  type Logger,
  type Scheduler,
  silentLogger,
  TaskRegistry,
  Worker,
} from "@zart/core";
import type { TcpProxy } from "./tcp-proxy.js";

/** One run of a step body, as the side-effect ledger sees it. */
export interface BodyRun {
  executionId: string;
  step: number;
  workerId: string;
  /** Order of events in this process (not time): when the body started and when it stopped. */
  startSeq: number;
  endSeq?: number;
  /** A step body longer than the lease. */
  long?: boolean;
  /** The reason `ctx.signal` was aborted with, when it was. */
  aborted?: unknown;
  finished: boolean;
}

export interface PartitionRunOptions {
  /** Three schedulers: the first reaches its store through `proxy`, the others directly. */
  schedulers: [Scheduler, Scheduler, Scheduler];
  proxy: TcpProxy;
  executions: number;
  partitions: number;
  leaseMs: number;
  /** How long each partition lasts: longer than the lease. */
  partitionMs: number;
  /** Units each worker runs at once. */
  concurrency: number;
}

export interface PartitionRunReport {
  runs: BodyRun[];
  partitioned: string;
  /** Step bodies of the partitioned worker whose `ctx.signal` was aborted by a lost lease. */
  abortedByLease: number;
  completedAfterMs: number;
  /** How often the workers logged each message. */
  logged: Record<string, number>;
}

/** A logger that only counts its messages (by worker-independent text). */
function countingLogger(counts: Map<string, number>): Logger {
  const count = (_fields: unknown, message?: string) => {
    const key = message ?? String(_fields);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  return { ...silentLogger, warn: count, error: count, info: () => {}, debug: () => {} };
}

const STEPS = 3;

/**
 * Runs `executions` chains of `STEPS` steps on three workers, cutting the first one off from the
 * store `partitions` times for `partitionMs` each (while it holds units), healing alternately by
 * dropping every connection (first) and by letting the held bytes through (late writes arrive
 * after a takeover). Resolves once every execution completed.
 */
export async function partitionRun(options: PartitionRunOptions): Promise<PartitionRunReport> {
  const startedAt = Date.now();
  let seq = 0;
  const runs: BodyRun[] = [];
  const taskFor = (workerId: string) =>
    defineTask({
      name: "partitioned-chain",
      async run(ctx, n: number) {
        let acc = n;
        for (let i = 0; i < STEPS; i++) {
          const previous = acc;
          acc = await ctx.step(`s${i}`, async () => {
            const run: BodyRun = {
              executionId: ctx.executionId,
              step: i,
              workerId,
              startSeq: ++seq,
              finished: false,
            };
            runs.push(run);
            ctx.signal.addEventListener("abort", () => {
              run.aborted = ctx.signal.reason;
              run.endSeq ??= ++seq;
            });
            // Cooperative body: stops when its signal is aborted. Every fifth execution has a step
            // that outlives the lease (kept by the heartbeat): what a partition must cut short.
            run.long = n % 5 === 0 && i === 1;
            const ticks = run.long ? Math.ceil((options.leaseMs * 3) / 25) : 6;
            for (let t = 0; t < ticks && !ctx.signal.aborted; t++) await sleep(25);
            if (ctx.signal.aborted) throw ctx.signal.reason;
            run.endSeq = ++seq;
            run.finished = true;
            return previous * 2 + i;
          });
        }
        return acc;
      },
    });
  const logged = new Map<string, number>();
  const ids = ["partitioned", "direct-1", "direct-2"];
  const registries = ids.map((id) => new TaskRegistry().register(taskFor(id)));
  const workers = options.schedulers.map(
    (scheduler, i) =>
      new Worker({
        scheduler,
        registry: registries[i]!,
        workerId: ids[i]!,
        concurrency: options.concurrency,
        pollInterval: 100,
        leaseDuration: options.leaseMs,
        logger: countingLogger(logged),
      }),
  );
  const store = options.schedulers[1];
  const client = new DurableScheduler(store, { registry: registries[1]! });
  for (let n = 0; n < options.executions; n++) await client.start(`p${n}`, "partitioned-chain", n);
  await Promise.all(workers.map((worker) => worker.start()));
  const completed = async () =>
    (await store.listExecutions({ status: "completed", limit: 10_000, offset: 0 })).length;
  try {
    for (let p = 0; p < options.partitions && (await completed()) < options.executions; p++) {
      // Cut the worker off while it runs a body longer than the lease, which must then be aborted.
      const runningLong = () =>
        runs.some((run) => run.workerId === "partitioned" && run.long && run.endSeq === undefined);
      while (!runningLong() && (await completed()) < options.executions) await sleep(5);
      options.proxy.blackHole();
      await sleep(options.partitionMs);
      if (p % 2 === 0) options.proxy.reset();
      else options.proxy.heal();
      await sleep(options.leaseMs);
    }
    const giveUp = Date.now() + 60_000 + options.executions * 200;
    while ((await completed()) < options.executions) {
      if (Date.now() > giveUp) {
        const all = await store.listExecutions({ limit: 10_000, offset: 0 });
        const statuses = all.map(({ execution }) => execution.status).join(",");
        const counts = [...logged].map(([message, n]) => `${n}× ${message}`).join("; ");
        throw new Error(
          `executions did not all complete after the partitions: ${statuses}; logged: ${counts}`,
        );
      }
      await sleep(50);
    }
  } finally {
    options.proxy.heal();
    await Promise.all(workers.map((worker) => worker.stop({ graceful: false })));
  }
  const abortedByLease = runs.filter(
    (run) => run.workerId === "partitioned" && run.aborted instanceof LeaseLostError,
  ).length;
  return {
    runs,
    partitioned: "partitioned",
    abortedByLease,
    completedAfterMs: Date.now() - startedAt,
    logged: Object.fromEntries(logged),
  };
}

/** `acc * 2 + i` over `STEPS` steps, from `n`. */
export function expectedResult(n: number): number {
  let acc = n;
  for (let i = 0; i < STEPS; i++) acc = acc * 2 + i;
  return acc;
}

export const PARTITION_STEPS = STEPS;
